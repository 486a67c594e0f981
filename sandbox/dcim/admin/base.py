"""What the dcim admin pages share."""
from netbox_userscripts.admin import UserscriptsModelAdmin


class NamedAdmin(UserscriptsModelAdmin):
    """Admin of an organisational model with a name, a slug and a description."""

    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
