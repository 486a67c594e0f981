"""Filtersets of the virtualization app (NetBox's filter names; see ``netbox.api.filtersets``)."""
import django_filters
from django.db.models import Q

from ipam.filtersets import SCOPED
from netbox.api.filtersets import BaseFilterSet, MultiValueFilter
from virtualization import models

TIMES = ("created", "last_updated")
NAMED = ("name", "slug", "description", *TIMES)


class ClusterTypeFilterSet(BaseFilterSet):
    class Meta:
        model = models.ClusterType
        fields = NAMED


class ClusterGroupFilterSet(BaseFilterSet):
    class Meta:
        model = models.ClusterGroup
        fields = NAMED


class ClusterFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains", "comments__icontains")
    related = SCOPED

    class Meta:
        model = models.Cluster
        fields = ("name", "type", "group", "status", "tenant", "scope_type", "scope_id", "description", *TIMES)


class VirtualMachineFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "serial__icontains", "description__icontains", "comments__icontains")
    related = {"cluster_group": "cluster__group", "cluster_type": "cluster__type", "region": "site__region"}
    has_primary_ip = django_filters.BooleanFilter(method="filter_has_primary_ip")

    class Meta:
        model = models.VirtualMachine
        fields = ("name", "status", "site", "cluster", "device", "tenant", "platform", "role", "vcpus", "memory",
                  "disk", "serial", "primary_ip4", "primary_ip6", "start_on_boot", "description", *TIMES)

    def filter_has_primary_ip(self, queryset, name, value):
        has = Q(primary_ip4__isnull=False) | Q(primary_ip6__isnull=False)
        return queryset.filter(has) if value else queryset.exclude(has)


class VMInterfaceFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains")
    related = {"cluster": "virtual_machine__cluster"}
    mac_address = MultiValueFilter(field_name="mac_addresses__mac_address", lookup_expr="exact")

    class Meta:
        model = models.VMInterface
        fields = ("name", "virtual_machine", "enabled", "parent", "bridge", "mtu", "mode", "untagged_vlan",
                  "vrf", "primary_mac_address", "description", *TIMES)
