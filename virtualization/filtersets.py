"""Filtersets of the virtualization app (NetBox's filter names; see ``netbox.api.filtersets``)."""
from netbox.api.filtersets import BaseFilterSet
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
    related = {"site": "_site", "region": "_region"}

    class Meta:
        model = models.Cluster
        fields = ("name", "type", "group", "status", "tenant", "scope_type", "scope_id", "description", *TIMES)


class VirtualMachineFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "serial__icontains", "description__icontains", "comments__icontains")
    related = {"cluster_group": "cluster__group", "cluster_type": "cluster__type", "region": "site__region"}

    class Meta:
        model = models.VirtualMachine
        fields = ("name", "status", "site", "cluster", "device", "tenant", "platform", "role", "vcpus", "memory",
                  "disk", "serial", "primary_ip4", "primary_ip6", "start_on_boot", "description", *TIMES)


class VMInterfaceFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains")
    related = {"cluster": "virtual_machine__cluster"}

    class Meta:
        model = models.VMInterface
        fields = ("name", "virtual_machine", "enabled", "parent", "bridge", "mtu", "mode", "untagged_vlan",
                  "vrf", "description", *TIMES)
