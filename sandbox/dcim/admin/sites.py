"""Admin pages of regions, site groups, sites, locations, racks and power panels and feeds."""
from django.contrib import admin

from dcim.admin.base import NamedAdmin
from dcim.models import Location, PowerFeed, PowerPanel, Rack, RackRole, Region, Site, SiteGroup
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(Region)
class RegionAdmin(NamedAdmin):
    list_display = ["name", "slug", "parent", "description"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(SiteGroup)
class SiteGroupAdmin(RegionAdmin):
    pass


@admin.register(Site)
class SiteAdmin(NamedAdmin):
    list_display = ["name", "slug", "status", "region", "group", "tenant", "facility", "time_zone", "description"]
    list_filter = ["status", "region", "group", "tenant"]
    search_fields = ["name", "slug", "facility", "description", "physical_address", "comments"]
    list_select_related = ["region", "group", "tenant"]
    autocomplete_fields = ["region", "group", "tenant"]
    bulk_edit_fields = ["status", "region", "group", "tenant"]


@admin.register(Location)
class LocationAdmin(NamedAdmin):
    list_display = ["name", "site", "parent", "status", "tenant", "facility", "description"]
    list_filter = ["status", "site"]
    list_select_related = ["site", "parent", "tenant"]
    autocomplete_fields = ["site", "parent", "tenant"]
    bulk_edit_fields = ["status", "tenant"]


@admin.register(RackRole)
class RackRoleAdmin(NamedAdmin):
    list_display = ["name", "slug", "color", "description"]


@admin.register(Rack)
class RackAdmin(UserscriptsModelAdmin):
    list_display = ["name", "site", "location", "status", "role", "facility_id", "tenant", "u_height"]
    list_filter = ["status", "site", "role", "form_factor"]
    search_fields = ["name", "facility_id", "serial", "asset_tag", "description", "comments"]
    list_select_related = ["site", "location", "role", "tenant"]
    autocomplete_fields = ["site", "location", "role", "tenant"]
    bulk_edit_fields = ["status", "role", "tenant", "location"]


@admin.register(PowerPanel)
class PowerPanelAdmin(UserscriptsModelAdmin):
    list_display = ["name", "site", "location", "description"]
    list_filter = ["site"]
    search_fields = ["name", "description", "comments"]
    list_select_related = ["site", "location"]
    autocomplete_fields = ["site", "location"]


@admin.register(PowerFeed)
class PowerFeedAdmin(UserscriptsModelAdmin):
    list_display = ["name", "power_panel", "rack", "status", "type", "supply", "phase", "voltage", "amperage",
                    "available_power", "cable"]
    list_filter = ["status", "type", "supply", "phase"]
    search_fields = ["name", "description", "comments", "power_panel__name"]
    list_select_related = ["power_panel", "rack", "cable"]
    autocomplete_fields = ["power_panel", "rack", "tenant"]
    readonly_fields = ["available_power", "cable", "cable_end"]
    bulk_edit_fields = ["status", "type", "tenant"]
