"""Filtersets of the ipam app (NetBox's filter names; see ``netbox.api.filtersets``).

The IP filters (``family``, ``mask_length``, ``within``, ``parent``, ``contains`` ...) use
NetBox's IP lookups (``ipam/lookups.py``), so they run in SQL on both databases.
"""
import django_filters
import netaddr
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ipam import models
from netbox.api.filtersets import BaseFilterSet, MultiValueFilter

TIMES = ("created", "last_updated")
NAMED = ("name", "slug", "description", *TIMES)
SCOPED = {"location": "_location", "site": "_site", "site_group": "_site_group", "region": "_region"}


def _valid_network(value):
    try:
        netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise forms.ValidationError(f"{value!r} is not an IP network, e.g. 10.0.0.0/16.") from None


def network_filter(lookup):
    """A filter of one network, validated, applied with ``<ip_field>__<lookup>``."""
    return django_filters.CharFilter(method="filter_network", validators=[_valid_network], lookup_expr=lookup)


class IPFilterSet(BaseFilterSet):
    """``family`` (4 or 6), ``mask_length`` and network filters on the column named by ``ip_field``."""

    ip_field = None
    family = django_filters.TypedChoiceFilter(choices=((4, "IPv4"), (6, "IPv6")), coerce=int, method="filter_family")
    mask_length = MultiValueFilter(method="filter_mask_length",
                                   base_field=forms.IntegerField(min_value=0, max_value=128))

    def filter_family(self, queryset, name, value: int):
        return queryset.filter(**{f"{self.ip_field}__family": value})

    @extend_schema_field(OpenApiTypes.INT)  # each value; the filter takes several
    def filter_mask_length(self, queryset, name, value):
        return queryset.filter(**{f"{self.ip_field}__net_mask_length__in": value}) if value else queryset

    def filter_network(self, queryset, name, value):
        lookup = self.filters[name].lookup_expr
        return queryset.filter(**{f"{self.ip_field}__{lookup}": str(netaddr.IPNetwork(value))})


class VRFFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "rd__icontains", "description__icontains")

    class Meta:
        model = models.VRF
        fields = ("name", "rd", "tenant", "enforce_unique", "description", *TIMES)


class RIRFilterSet(BaseFilterSet):
    class Meta:
        model = models.RIR
        fields = (*NAMED, "is_private")


class RoleFilterSet(BaseFilterSet):
    class Meta:
        model = models.Role
        fields = (*NAMED, "weight")


class AggregateFilterSet(IPFilterSet):
    ip_field = "prefix"
    search_fields = ("prefix__startswith", "description__icontains")
    prefix = network_filter("exact")

    class Meta:
        model = models.Aggregate
        fields = ("rir", "tenant", "date_added", "description", *TIMES)


class PrefixFilterSet(IPFilterSet):
    ip_field = "prefix"
    search_fields = ("prefix__startswith", "description__icontains")
    related = SCOPED
    within = network_filter("net_contained")
    within_include = network_filter("net_contained_or_equal")
    contains = network_filter("net_contains_or_equals")

    class Meta:
        model = models.Prefix
        fields = ("prefix", "vrf", "tenant", "vlan", "status", "role", "is_pool", "mark_utilized", "scope_type",
                  "scope_id", "description", *TIMES)


class IPRangeFilterSet(IPFilterSet):
    ip_field = "start_address"
    search_fields = ("start_address__startswith", "end_address__startswith", "description__icontains")
    parent = network_filter("net_host_contained")
    contains = django_filters.CharFilter(method="filter_contains", validators=[_valid_network])

    class Meta:
        model = models.IPRange
        fields = ("start_address", "end_address", "size", "vrf", "tenant", "status", "role", "mark_populated",
                  "mark_utilized", "description", *TIMES)

    def filter_network(self, queryset, name, value):
        network = str(netaddr.IPNetwork(value))  # both ends inside the network
        return queryset.filter(start_address__net_host_contained=network, end_address__net_host_contained=network)

    def filter_contains(self, queryset, name, value):
        target = netaddr.IPNetwork(value)
        return queryset.filter(pk__in=[r.pk for r in queryset.filter(start_address__family=target.version)
                                       if r.start_address.ip <= target.first and r.end_address.ip >= target.last])


class IPAddressFilterSet(IPFilterSet):
    ip_field = "address"
    search_fields = ("address__startswith", "dns_name__icontains", "description__icontains")
    related = {"device": "interface__device", "interface": "interface", "site": "interface__device__site",
               "virtual_machine": "vminterface__virtual_machine", "vminterface": "vminterface"}
    parent = network_filter("net_host_contained")
    assigned_to_interface = django_filters.BooleanFilter(field_name="assigned_object_id", lookup_expr="isnull",
                                                         exclude=True)

    class Meta:
        model = models.IPAddress
        fields = ("address", "vrf", "tenant", "status", "role", "dns_name", "assigned_object_type",
                  "assigned_object_id", "nat_inside", "description", *TIMES)


class VLANGroupFilterSet(BaseFilterSet):
    class Meta:
        model = models.VLANGroup
        fields = (*NAMED, "scope_type", "scope_id", "tenant", "total_vlan_ids")


class VLANFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains")

    class Meta:
        model = models.VLAN
        fields = ("vid", "name", "site", "group", "tenant", "status", "role", "description", *TIMES)


class ASNFilterSet(BaseFilterSet):
    search_fields = ("description__icontains",)
    related = {"site": "sites"}

    class Meta:
        model = models.ASN
        fields = ("asn", "rir", "tenant", "description", *TIMES)
