"""Filtersets of the dcim app (NetBox's filter names; see ``netbox.api.filtersets``)."""
import django_filters

from dcim import models
from netbox.api.filtersets import BaseFilterSet

NAMED = ("name", "slug", "description", "created", "last_updated")


class RegionFilterSet(BaseFilterSet):
    class Meta:
        model = models.Region
        fields = (*NAMED, "parent")


class SiteFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "facility__icontains", "description__icontains",
                     "physical_address__icontains", "comments__icontains")

    class Meta:
        model = models.Site
        fields = (*NAMED, "status", "region", "tenant", "facility", "time_zone", "latitude", "longitude")


class ManufacturerFilterSet(BaseFilterSet):
    class Meta:
        model = models.Manufacturer
        fields = NAMED


class DeviceTypeFilterSet(BaseFilterSet):
    search_fields = ("model__icontains", "part_number__icontains", "description__icontains",
                     "manufacturer__name__icontains")

    class Meta:
        model = models.DeviceType
        fields = ("model", "slug", "description", "manufacturer", "part_number", "u_height", "is_full_depth",
                  "created", "last_updated")


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
        fields = ("name", "description", "created", "last_updated", "device_type", "role", "tenant", "platform",
                  "serial", "asset_tag", "site", "status", "primary_ip4", "primary_ip6")

    def filter_has_primary_ip(self, queryset, name, value):
        has = queryset.filter(primary_ip4__isnull=False) | queryset.filter(primary_ip6__isnull=False)
        return has if value else queryset.filter(primary_ip4__isnull=True, primary_ip6__isnull=True)


class ComponentFilterSet(BaseFilterSet):
    """Ports: by device and its site, role, type; ``cabled``, ``occupied``."""

    search_fields = ("name__icontains", "label__icontains", "description__icontains")
    related = {"site": "device__site", "role": "device__role", "device_type": "device__device_type"}
    cabled = django_filters.BooleanFilter(field_name="cable", lookup_expr="isnull", exclude=True)
    occupied = django_filters.BooleanFilter(field_name="cable", lookup_expr="isnull", exclude=True)

    class Meta:
        fields = ("name", "label", "description", "created", "last_updated", "device", "type", "cable")


class InterfaceFilterSet(ComponentFilterSet):
    class Meta:
        model = models.Interface
        fields = (*ComponentFilterSet.Meta.fields, "enabled", "mtu", "mac_address", "mgmt_only", "mode")


class ConsolePortFilterSet(ComponentFilterSet):
    class Meta:
        model = models.ConsolePort
        fields = (*ComponentFilterSet.Meta.fields, "speed")


class ConsoleServerPortFilterSet(ComponentFilterSet):
    class Meta:
        model = models.ConsoleServerPort
        fields = (*ComponentFilterSet.Meta.fields, "speed")


class PowerPortFilterSet(ComponentFilterSet):
    class Meta:
        model = models.PowerPort
        fields = (*ComponentFilterSet.Meta.fields, "maximum_draw", "allocated_draw")


class PowerOutletFilterSet(ComponentFilterSet):
    class Meta:
        model = models.PowerOutlet
        fields = (*ComponentFilterSet.Meta.fields, "power_port")


class CableFilterSet(BaseFilterSet):
    search_fields = ("label__icontains", "description__icontains")

    class Meta:
        model = models.Cable
        fields = ("label", "description", "created", "last_updated", "type", "status", "tenant", "color",
                  "length", "length_unit", "termination_a_id", "termination_b_id")
