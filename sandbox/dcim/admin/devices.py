"""Admin pages of manufacturers, device types (with their templates), roles, platforms and devices."""
from django.contrib import admin

from dcim.admin.base import NamedAdmin
from dcim.models import (
    ConsolePort,
    ConsolePortTemplate,
    ConsoleServerPortTemplate,
    Device,
    DeviceBayTemplate,
    DeviceRole,
    DeviceType,
    FrontPortTemplate,
    Interface,
    InterfaceTemplate,
    Manufacturer,
    ModuleBayTemplate,
    Platform,
    PowerOutletTemplate,
    PowerPort,
    PowerPortTemplate,
    RearPortTemplate,
)
from netbox_userscripts.admin import UserscriptsModelAdmin


@admin.register(Manufacturer)
class ManufacturerAdmin(NamedAdmin):
    pass


def template_inline(template_model, *fields):
    return type(f"{template_model.__name__}Inline", (admin.TabularInline,), {
        "model": template_model, "extra": 0, "show_change_link": True,
        "fields": ["name", "label", *fields, "description"],
    })


@admin.register(DeviceType)
class DeviceTypeAdmin(UserscriptsModelAdmin):
    list_display = ["model", "manufacturer", "slug", "part_number", "u_height", "is_full_depth", "subdevice_role"]
    list_filter = ["manufacturer", "is_full_depth", "subdevice_role"]
    search_fields = ["model", "slug", "part_number", "manufacturer__name"]
    list_select_related = ["manufacturer"]
    autocomplete_fields = ["manufacturer", "default_platform"]
    prepopulated_fields = {"slug": ["model"]}
    inlines = [
        template_inline(InterfaceTemplate, "type", "enabled", "mgmt_only"),
        template_inline(ConsolePortTemplate, "type"),
        template_inline(ConsoleServerPortTemplate, "type"),
        template_inline(PowerPortTemplate, "type", "maximum_draw", "allocated_draw"),
        template_inline(PowerOutletTemplate, "type", "feed_leg"),
        template_inline(RearPortTemplate, "type", "positions"),
        template_inline(FrontPortTemplate, "type", "positions"),
        template_inline(DeviceBayTemplate),
        template_inline(ModuleBayTemplate, "position"),
    ]


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
    fk_name = "device"
    fields = ["name", "label", "type", "enabled", "mtu", "mgmt_only", "mode", "description"]


class ConsolePortInline(ComponentInline):
    model = ConsolePort
    fields = ["name", "label", "type", "speed", "description"]


class PowerPortInline(ComponentInline):
    model = PowerPort
    fields = ["name", "label", "type", "maximum_draw", "allocated_draw", "description"]


@admin.register(Device)
class DeviceAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "status", "site", "location", "rack", "position", "role", "device_type", "tenant",
                    "platform", "primary_ip4", "serial", "asset_tag"]
    list_filter = ["status", "site", "role", "tenant", "platform", "device_type__manufacturer"]
    search_fields = ["name", "serial", "asset_tag", "description", "comments"]
    list_select_related = ["site", "location", "rack", "role", "device_type__manufacturer", "tenant", "platform",
                           "primary_ip4"]
    autocomplete_fields = ["device_type", "role", "tenant", "platform", "site", "location", "rack", "cluster",
                           "primary_ip4", "primary_ip6", "oob_ip"]
    fieldsets = [
        (None, {"fields": ["name", "role", "device_type", "site", "status", "platform", "tenant", "description"]}),
        ("Location", {"fields": ["location", "rack", "position", "face", "airflow", "latitude", "longitude"]}),
        ("Hardware", {"fields": ["serial", "asset_tag"]}),
        ("Management", {"fields": ["primary_ip4", "primary_ip6", "oob_ip"]}),
        ("Virtualization", {"fields": ["cluster"]}),
        ("Comments", {"fields": ["comments"], "classes": ["collapse"]}),
    ]
    inlines = [InterfaceInline, ConsolePortInline, PowerPortInline]
    bulk_edit_fields = ["status", "role", "tenant", "platform", "site", "cluster"]
