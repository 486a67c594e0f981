"""Admin pages of device components (ports, bays), front-to-rear port mappings and MAC addresses."""
from django.contrib import admin

from dcim.models import (
    ConsolePort,
    ConsoleServerPort,
    DeviceBay,
    FrontPort,
    Interface,
    MACAddress,
    ModuleBay,
    PortMapping,
    PowerOutlet,
    PowerPort,
    RearPort,
)
from netbox_userscripts.admin import UserscriptsModelAdmin


class ComponentAdmin(UserscriptsModelAdmin):
    list_display = ["name", "device", "label", "type", "cable", "cable_end", "mark_connected", "description"]
    list_filter = ["type", "mark_connected"]
    search_fields = ["name", "label", "description", "device__name"]
    list_select_related = ["device", "cable"]
    autocomplete_fields = ["device"]
    readonly_fields = ["cable", "cable_end"]


@admin.register(Interface)
class InterfaceAdmin(ComponentAdmin):
    list_display = ["name", "device", "label", "type", "enabled", "mtu", "primary_mac_address", "mgmt_only", "cable"]
    list_filter = ["type", "enabled", "mgmt_only", "mode"]
    search_fields = ["name", "label", "description", "device__name"]
    list_select_related = ["device", "cable", "primary_mac_address"]
    autocomplete_fields = ["device", "parent", "bridge", "lag", "primary_mac_address", "untagged_vlan", "vrf"]
    filter_horizontal = ["tagged_vlans"]


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


class MappingInline(admin.TabularInline):
    model = PortMapping
    extra = 0
    fields = ["front_port", "front_port_position", "rear_port", "rear_port_position"]
    autocomplete_fields = ["front_port", "rear_port"]


class FrontMappingInline(MappingInline):
    fk_name = "front_port"


class RearMappingInline(MappingInline):
    fk_name = "rear_port"


@admin.register(FrontPort)
class FrontPortAdmin(ComponentAdmin):
    list_display = ["name", "device", "label", "type", "positions", "cable", "description"]
    inlines = [FrontMappingInline]


@admin.register(RearPort)
class RearPortAdmin(ComponentAdmin):
    list_display = ["name", "device", "label", "type", "positions", "cable", "description"]
    inlines = [RearMappingInline]


@admin.register(PortMapping)
class PortMappingAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "device", "front_port", "front_port_position", "rear_port", "rear_port_position"]
    search_fields = ["device__name", "front_port__name", "rear_port__name"]
    list_select_related = ["device", "front_port", "rear_port"]
    autocomplete_fields = ["front_port", "rear_port"]
    exclude = ["device"]


@admin.register(DeviceBay)
class DeviceBayAdmin(UserscriptsModelAdmin):
    list_display = ["name", "device", "label", "enabled", "installed_device", "description"]
    search_fields = ["name", "label", "description", "device__name"]
    list_select_related = ["device", "installed_device"]
    autocomplete_fields = ["device", "installed_device"]


@admin.register(ModuleBay)
class ModuleBayAdmin(UserscriptsModelAdmin):
    list_display = ["name", "device", "label", "position", "enabled", "description"]
    search_fields = ["name", "label", "position", "description", "device__name"]
    list_select_related = ["device"]
    autocomplete_fields = ["device"]


@admin.register(MACAddress)
class MACAddressAdmin(UserscriptsModelAdmin):
    list_display = ["mac_address", "assigned_object_type", "assigned_object_id", "assigned", "description"]
    search_fields = ["mac_address", "description"]
    list_filter = ["assigned_object_type"]
    fields = ["mac_address", "assigned_object_type", "assigned_object_id", "description", "comments"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("assigned_object")

    @admin.display(description="assigned to")
    def assigned(self, mac):
        obj = mac.assigned_object
        return "-" if obj is None else f"{getattr(obj, 'parent_object', '')} {obj}".strip()
