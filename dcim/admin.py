"""Admin pages of the dcim app: every model, with search, filters and bulk edit where useful."""
from django.contrib import admin

from dcim.models import (
    Cable,
    ConsolePort,
    ConsoleServerPort,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    Manufacturer,
    Platform,
    PowerOutlet,
    PowerPort,
    Region,
    Site,
)
from netbox_userscripts.admin import UserscriptsModelAdmin


class NamedAdmin(UserscriptsModelAdmin):
    """Admin of an organisational model with a name, a slug and a description."""

    list_display = ["name", "slug", "description"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(NamedAdmin):
    list_display = ["name", "slug", "parent", "description"]
    list_filter = ["parent"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


@admin.register(Site)
class SiteAdmin(NamedAdmin):
    list_display = ["name", "slug", "status", "region", "tenant", "facility", "time_zone", "description"]
    list_filter = ["status", "region", "tenant"]
    search_fields = ["name", "slug", "facility", "description", "physical_address", "comments"]
    list_select_related = ["region", "tenant"]
    autocomplete_fields = ["region", "tenant"]
    bulk_edit_fields = ["status", "region", "tenant"]


@admin.register(Manufacturer)
class ManufacturerAdmin(NamedAdmin):
    pass


@admin.register(DeviceType)
class DeviceTypeAdmin(UserscriptsModelAdmin):
    list_display = ["model", "manufacturer", "slug", "part_number", "u_height", "is_full_depth"]
    list_filter = ["manufacturer", "is_full_depth"]
    search_fields = ["model", "slug", "part_number", "manufacturer__name"]
    list_select_related = ["manufacturer"]
    autocomplete_fields = ["manufacturer"]
    prepopulated_fields = {"slug": ["model"]}


@admin.register(DeviceRole)
class DeviceRoleAdmin(NamedAdmin):
    list_display = ["name", "slug", "color", "vm_role", "description"]
    list_filter = ["vm_role"]


@admin.register(Platform)
class PlatformAdmin(NamedAdmin):
    list_display = ["name", "slug", "manufacturer", "description"]
    list_filter = ["manufacturer"]
    list_select_related = ["manufacturer"]
    autocomplete_fields = ["manufacturer"]


class ComponentInline(admin.TabularInline):
    extra = 0
    show_change_link = True


class InterfaceInline(ComponentInline):
    model = Interface
    fields = ["name", "label", "type", "enabled", "mtu", "mac_address", "mgmt_only", "mode", "description"]


class ConsolePortInline(ComponentInline):
    model = ConsolePort
    fields = ["name", "label", "type", "speed", "description"]


class PowerPortInline(ComponentInline):
    model = PowerPort
    fields = ["name", "label", "type", "maximum_draw", "allocated_draw", "description"]


@admin.register(Device)
class DeviceAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "status", "site", "role", "device_type", "tenant", "platform", "primary_ip4",
                    "serial", "asset_tag"]
    list_filter = ["status", "site", "role", "tenant", "platform", "device_type__manufacturer"]
    search_fields = ["name", "serial", "asset_tag", "description", "comments"]
    list_select_related = ["site", "role", "device_type__manufacturer", "tenant", "platform", "primary_ip4"]
    autocomplete_fields = ["device_type", "role", "tenant", "platform", "site", "primary_ip4", "primary_ip6"]
    fieldsets = [
        (None, {"fields": ["name", "role", "device_type", "site", "status", "platform", "tenant", "description"]}),
        ("Hardware", {"fields": ["serial", "asset_tag"]}),
        ("Management", {"fields": ["primary_ip4", "primary_ip6"]}),
        ("Comments", {"fields": ["comments"], "classes": ["collapse"]}),
    ]
    inlines = [InterfaceInline, ConsolePortInline, PowerPortInline]
    bulk_edit_fields = ["status", "role", "tenant", "platform", "site"]


class ComponentAdmin(UserscriptsModelAdmin):
    list_display = ["name", "device", "label", "type", "cable", "description"]
    list_filter = ["type"]
    search_fields = ["name", "label", "description", "device__name"]
    list_select_related = ["device", "cable"]
    autocomplete_fields = ["device"]
    readonly_fields = ["cable"]


@admin.register(Interface)
class InterfaceAdmin(ComponentAdmin):
    list_display = ["name", "device", "label", "type", "enabled", "mtu", "mac_address", "mgmt_only", "cable"]
    list_filter = ["type", "enabled", "mgmt_only", "mode"]
    search_fields = ["name", "label", "description", "mac_address", "device__name"]


@admin.register(ConsolePort)
class ConsolePortAdmin(ComponentAdmin):
    pass


@admin.register(ConsoleServerPort)
class ConsoleServerPortAdmin(ComponentAdmin):
    pass


@admin.register(PowerPort)
class PowerPortAdmin(ComponentAdmin):
    pass


@admin.register(PowerOutlet)
class PowerOutletAdmin(ComponentAdmin):
    list_select_related = ["device", "cable", "power_port"]
    autocomplete_fields = ["device", "power_port"]


@admin.register(Cable)
class CableAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "termination_a", "termination_b", "status", "type", "length", "length_unit"]
    list_filter = ["status", "type", "termination_a_type"]
    search_fields = ["label", "description"]
    list_select_related = ["tenant"]
    autocomplete_fields = ["tenant"]
    fields = ["termination_a_type", "termination_a_id", "termination_b_type", "termination_b_id", "status", "type",
              "tenant", "label", "color", "length", "length_unit", "description", "comments"]
    bulk_edit_fields = ["status", "type", "tenant"]

    def get_queryset(self, request):
        # Each end is a port of some type; fetching them together avoids two queries per row.
        return super().get_queryset(request).prefetch_related("termination_a__device", "termination_b__device")

    @admin.display(description="A end")
    def termination_a(self, cable):
        return _end(cable.termination_a)

    @admin.display(description="B end")
    def termination_b(self, cable):
        return _end(cable.termination_b)


def _end(port):
    return "-" if port is None else f"{port.device} {port}"
