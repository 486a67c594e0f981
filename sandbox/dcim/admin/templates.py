"""Admin pages of the component templates of device types, and of their front-to-rear port mappings."""
from django.contrib import admin

from dcim.models import (
    ConsolePortTemplate,
    ConsoleServerPortTemplate,
    DeviceBayTemplate,
    FrontPortTemplate,
    InterfaceTemplate,
    ModuleBayTemplate,
    PortTemplateMapping,
    PowerOutletTemplate,
    PowerPortTemplate,
    RearPortTemplate,
)
from netbox_userscripts.admin import UserscriptsModelAdmin


class TemplateAdmin(UserscriptsModelAdmin):
    list_display = ["name", "device_type", "label", "description"]
    search_fields = ["name", "label", "description", "device_type__model"]
    list_filter = ["device_type__manufacturer"]
    list_select_related = ["device_type"]
    autocomplete_fields = ["device_type"]


for template_model in (ConsolePortTemplate, ConsoleServerPortTemplate, PowerPortTemplate, PowerOutletTemplate,
                       InterfaceTemplate, FrontPortTemplate, RearPortTemplate, DeviceBayTemplate, ModuleBayTemplate):
    admin.site.register(template_model, type(f"{template_model.__name__}Admin", (TemplateAdmin,), {
        "__module__": __name__}))


@admin.register(PortTemplateMapping)
class PortTemplateMappingAdmin(UserscriptsModelAdmin):
    list_display = ["__str__", "device_type", "front_port", "front_port_position", "rear_port", "rear_port_position"]
    search_fields = ["device_type__model", "front_port__name", "rear_port__name"]
    list_select_related = ["device_type", "front_port", "rear_port"]
    autocomplete_fields = ["front_port", "rear_port"]
    exclude = ["device_type"]
