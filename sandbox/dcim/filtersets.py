"""Filtersets of the dcim app (NetBox's filter names; see ``netbox.api.filtersets``)."""
import django_filters
from django import forms
from django.db.models import Q

from dcim import models
from netbox.api.filtersets import BaseFilterSet, ContentTypeFilter, MultiValueFilter

TIMES = ("created", "last_updated")
NAMED = ("name", "slug", "description", *TIMES)


class RegionFilterSet(BaseFilterSet):
    class Meta:
        model = models.Region
        fields = (*NAMED, "parent")


class SiteGroupFilterSet(BaseFilterSet):
    class Meta:
        model = models.SiteGroup
        fields = (*NAMED, "parent")


class SiteFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "facility__icontains", "description__icontains",
                     "physical_address__icontains", "comments__icontains")

    class Meta:
        model = models.Site
        fields = (*NAMED, "status", "region", "group", "tenant", "facility", "time_zone", "latitude", "longitude")


class LocationFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "facility__icontains", "description__icontains")

    class Meta:
        model = models.Location
        fields = (*NAMED, "site", "parent", "status", "tenant", "facility")


class RackRoleFilterSet(BaseFilterSet):
    class Meta:
        model = models.RackRole
        fields = (*NAMED, "color")


class RackFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "facility_id__icontains", "serial__icontains", "asset_tag__icontains",
                     "description__icontains", "comments__icontains")
    related = {"region": "site__region"}

    class Meta:
        model = models.Rack
        fields = ("name", "description", *TIMES, "site", "location", "tenant", "status", "role", "facility_id",
                  "serial", "asset_tag", "form_factor", "width", "u_height", "starting_unit", "desc_units",
                  "airflow")


class ManufacturerFilterSet(BaseFilterSet):
    class Meta:
        model = models.Manufacturer
        fields = NAMED


class DeviceTypeFilterSet(BaseFilterSet):
    search_fields = ("model__icontains", "part_number__icontains", "description__icontains",
                     "manufacturer__name__icontains")

    class Meta:
        model = models.DeviceType
        fields = ("model", "slug", "description", "manufacturer", "default_platform", "part_number", "u_height",
                  "exclude_from_utilization", "is_full_depth", "subdevice_role", "airflow", *TIMES)


class DeviceRoleFilterSet(BaseFilterSet):
    class Meta:
        model = models.DeviceRole
        fields = (*NAMED, "color", "vm_role")


class PlatformFilterSet(BaseFilterSet):
    class Meta:
        model = models.Platform
        fields = (*NAMED, "manufacturer")


class DeviceFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "serial__icontains", "asset_tag__icontains", "description__icontains",
                     "comments__icontains")
    related = {"manufacturer": "device_type__manufacturer", "device_role": "role", "region": "site__region"}
    has_primary_ip = django_filters.BooleanFilter(method="filter_has_primary_ip")

    class Meta:
        model = models.Device
        fields = ("name", "description", *TIMES, "device_type", "role", "tenant", "platform", "serial", "asset_tag",
                  "site", "location", "rack", "position", "face", "status", "airflow", "cluster", "primary_ip4",
                  "primary_ip6", "oob_ip")

    def filter_has_primary_ip(self, queryset, name, value):
        has = queryset.filter(primary_ip4__isnull=False) | queryset.filter(primary_ip6__isnull=False)
        return has if value else queryset.filter(primary_ip4__isnull=True, primary_ip6__isnull=True)


class ComponentFilterSet(BaseFilterSet):
    """A device's components: by device and its site, location, rack, role, type."""

    search_fields = ("name__icontains", "label__icontains", "description__icontains")
    related = {"site": "device__site", "location": "device__location", "rack": "device__rack",
               "role": "device__role", "device_type": "device__device_type"}

    class Meta:
        fields = ("name", "label", "description", *TIMES, "device")


class CableEndFilterSet(BaseFilterSet):
    """Anything a cable can end at: ``cabled`` and ``occupied`` (list ``CABLE_END_FIELDS`` in ``Meta.fields``)."""

    cabled = django_filters.BooleanFilter(field_name="cable", lookup_expr="isnull", exclude=True)
    occupied = django_filters.BooleanFilter(method="filter_occupied")

    def filter_occupied(self, queryset, name, value):
        occupied = Q(cable__isnull=False) | Q(mark_connected=True)
        return queryset.filter(occupied) if value else queryset.exclude(occupied)


CABLE_END_FIELDS = ("cable", "cable_end", "mark_connected")


class CabledFilterSet(ComponentFilterSet, CableEndFilterSet):
    """Ports: also ``cabled``, ``occupied``, ``cable_id``, ``cable_end``, ``mark_connected``."""

    class Meta:
        fields = (*ComponentFilterSet.Meta.fields, "type", *CABLE_END_FIELDS)


def component_filterset(model, *fields, base=CabledFilterSet, **declared):
    meta = type("Meta", (), {"model": model, "fields": (*base.Meta.fields, *fields)})
    return type(f"{model.__name__}FilterSet", (base,), {"Meta": meta, "__module__": __name__, **declared})


ConsolePortFilterSet = component_filterset(models.ConsolePort, "speed")
ConsoleServerPortFilterSet = component_filterset(models.ConsoleServerPort, "speed")
PowerPortFilterSet = component_filterset(models.PowerPort, "maximum_draw", "allocated_draw")
PowerOutletFilterSet = component_filterset(models.PowerOutlet, "power_port", "status", "feed_leg")
InterfaceFilterSet = component_filterset(
    models.Interface, "enabled", "parent", "bridge", "lag", "mtu", "speed", "duplex", "primary_mac_address",
    "mgmt_only", "mode", "untagged_vlan", "vrf",
    mac_address=MultiValueFilter(field_name="mac_addresses__mac_address", lookup_expr="exact"))
FrontPortFilterSet = component_filterset(models.FrontPort, "color", "positions")
RearPortFilterSet = component_filterset(models.RearPort, "color", "positions")
DeviceBayFilterSet = component_filterset(models.DeviceBay, "enabled", "installed_device", base=ComponentFilterSet)
ModuleBayFilterSet = component_filterset(models.ModuleBay, "position", "enabled", base=ComponentFilterSet)


class TemplateFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "label__icontains", "description__icontains")

    class Meta:
        fields = ("name", "label", "description", *TIMES, "device_type")


def template_filterset(model, *fields):
    return component_filterset(model, *fields, base=TemplateFilterSet)


ConsolePortTemplateFilterSet = template_filterset(models.ConsolePortTemplate, "type")
ConsoleServerPortTemplateFilterSet = template_filterset(models.ConsoleServerPortTemplate, "type")
PowerPortTemplateFilterSet = template_filterset(models.PowerPortTemplate, "type", "maximum_draw", "allocated_draw")
PowerOutletTemplateFilterSet = template_filterset(models.PowerOutletTemplate, "type", "power_port", "feed_leg")
InterfaceTemplateFilterSet = template_filterset(models.InterfaceTemplate, "type", "enabled", "mgmt_only")
FrontPortTemplateFilterSet = template_filterset(models.FrontPortTemplate, "type", "color", "positions")
RearPortTemplateFilterSet = template_filterset(models.RearPortTemplate, "type", "color", "positions")
DeviceBayTemplateFilterSet = template_filterset(models.DeviceBayTemplate)
ModuleBayTemplateFilterSet = template_filterset(models.ModuleBayTemplate, "position", "enabled")


class PowerPanelFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains")

    class Meta:
        model = models.PowerPanel
        fields = ("name", "description", *TIMES, "site", "location")


class PowerFeedFilterSet(CableEndFilterSet):
    search_fields = ("name__icontains", "description__icontains", "comments__icontains")
    related = {"site": "power_panel__site"}

    class Meta:
        model = models.PowerFeed
        fields = ("name", "description", *TIMES, "power_panel", "rack", "status", "type", "supply", "phase",
                  "voltage", "amperage", "max_utilization", "available_power", "tenant", *CABLE_END_FIELDS)


class TerminationFilter(MultiValueFilter):
    """``interface_id=7``, ``termination_a_type=dcim.interface`` ...: cables by the objects at their ends."""

    def __init__(self, model=None, end=None, by="id", **kwargs):
        self.end_model, self.end, self.by = model, end, by
        kwargs.setdefault("base_field", forms.IntegerField() if by == "id" else forms.CharField())
        super().__init__(field_name="terminations", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        rows = models.CableTermination.objects.all()
        if self.end:
            rows = rows.filter(cable_end=self.end)
        if self.end_model:
            rows = rows.filter(termination_type__app_label="dcim", termination_type__model=self.end_model)
        if self.by == "id":
            rows = rows.filter(termination_id__in=value)
        else:
            pairs = Q()
            for label in value:
                app_label, _, model = label.lower().partition(".")
                pairs |= Q(termination_type__app_label=app_label, termination_type__model=model)
            rows = rows.filter(pairs)
        return qs.filter(pk__in=rows.values("cable_id"))


class CableFilterSet(BaseFilterSet):
    """Cables: also by what they end at (``device_id``, ``site_id``, ``interface_id``, ``termination_a_type`` ...)."""

    search_fields = ("label__icontains", "description__icontains")
    related = {"device": "terminations___device", "site": "terminations___site", "rack": "terminations___rack",
               "location": "terminations___location"}
    termination_a_type = TerminationFilter(end="A", by="type")
    termination_a_id = TerminationFilter(end="A")
    termination_b_type = TerminationFilter(end="B", by="type")
    termination_b_id = TerminationFilter(end="B")
    interface_id = TerminationFilter(model="interface")
    consoleport_id = TerminationFilter(model="consoleport")
    consoleserverport_id = TerminationFilter(model="consoleserverport")
    powerport_id = TerminationFilter(model="powerport")
    poweroutlet_id = TerminationFilter(model="poweroutlet")
    frontport_id = TerminationFilter(model="frontport")
    rearport_id = TerminationFilter(model="rearport")
    powerfeed_id = TerminationFilter(model="powerfeed")

    class Meta:
        model = models.Cable
        fields = ("label", "description", *TIMES, "type", "status", "tenant", "color", "length", "length_unit")

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


class CableTerminationFilterSet(BaseFilterSet):
    search_fields = ("cable__label__icontains",)
    related = {"device": "_device", "site": "_site", "rack": "_rack", "location": "_location"}
    termination_type = ContentTypeFilter()

    class Meta:
        model = models.CableTermination
        fields = ("cable", "cable_end", "termination_id", *TIMES)


class MACAddressFilterSet(BaseFilterSet):
    search_fields = ("mac_address__icontains", "description__icontains")
    related = {"device": "interface__device", "interface": "interface",
               "virtual_machine": "vminterface__virtual_machine", "vminterface": "vminterface"}
    assigned_object_type = ContentTypeFilter()
    assigned_object_id = MultiValueFilter(field_name="assigned_object_id", lookup_expr="exact")

    class Meta:
        model = models.MACAddress
        fields = ("mac_address", "description", *TIMES)

