"""Admin pages of the tenancy app."""
from django.contrib import admin

from netbox_userscripts.admin import UserscriptsModelAdmin
from tenancy.models import Tenant


@admin.register(Tenant)
class TenantAdmin(UserscriptsModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
