"""Filtersets of the ipam app (NetBox's filter names; see ``netbox.api.filtersets``).

Prefixes and addresses are text in the database, so ``family`` and ``mask_length`` are
matched on the text, and ``within``/``parent``/``contains`` use the model's ``within``
helper (narrowed in SQL, finished with netaddr).
"""
import operator
from functools import reduce

import django_filters
import netaddr
from django import forms
from django.db.models import Q

from ipam import models
from netbox.api.filtersets import BaseFilterSet, MultiValueFilter

TIMES = ("created", "last_updated")


def _valid_network(value):
    try:
        netaddr.IPNetwork(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise forms.ValidationError(f"{value!r} is not an IP network, e.g. 10.0.0.0/16.") from None


class FamilyMaskFilterSet(BaseFilterSet):
    """``family`` (4 or 6) and ``mask_length`` on the text column named by ``ip_field``."""

    ip_field = None
    family = django_filters.TypedChoiceFilter(choices=((4, "IPv4"), (6, "IPv6")), coerce=int, method="filter_family")
    mask_length = MultiValueFilter(method="filter_mask_length", base_field=forms.IntegerField(min_value=0,
                                                                                              max_value=128))

    def filter_family(self, queryset, name, value):
        lookup = {f"{self.ip_field}__contains": ":"}
        return queryset.filter(**lookup) if value == 6 else queryset.exclude(**lookup)

    def filter_mask_length(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (Q(**{f"{self.ip_field}__endswith": f"/{n}"}) for n in value)))

    def inside(self, queryset, value, include_self=True):
        network = netaddr.IPNetwork(value)
        pks = [obj.pk for obj in models.within(queryset, self.ip_field, network)
               if include_self or getattr(obj, self.ip_field).prefixlen > network.prefixlen]
        return queryset.filter(pk__in=pks)


class VRFFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "rd__icontains", "description__icontains")

    class Meta:
        model = models.VRF
        fields = ("name", "rd", "tenant", "enforce_unique", "description", *TIMES)


class VLANFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains")

    class Meta:
        model = models.VLAN
        fields = ("vid", "name", "site", "tenant", "status", "description", *TIMES)


class PrefixFilterSet(FamilyMaskFilterSet):
    ip_field = "prefix"
    search_fields = ("prefix__startswith", "description__icontains")
    within = django_filters.CharFilter(method="filter_within", validators=[_valid_network])
    within_include = django_filters.CharFilter(method="filter_within_include", validators=[_valid_network])
    contains = django_filters.CharFilter(method="filter_contains", validators=[_valid_network])

    class Meta:
        model = models.Prefix
        fields = ("prefix", "site", "vrf", "tenant", "vlan", "status", "is_pool", "mark_utilized", "description",
                  *TIMES)

    def filter_within(self, queryset, name, value):
        return self.inside(queryset, value, include_self=False)

    def filter_within_include(self, queryset, name, value):
        return self.inside(queryset, value)

    def filter_contains(self, queryset, name, value):
        target = netaddr.IPNetwork(value)
        pks = [p.pk for p in queryset if isinstance(p.prefix, netaddr.IPNetwork) and p.prefix.version == target.version
               and target in p.prefix]
        return queryset.filter(pk__in=pks)


class IPAddressFilterSet(FamilyMaskFilterSet):
    ip_field = "address"
    search_fields = ("address__startswith", "dns_name__icontains", "description__icontains")
    related = {"device": "interface__device", "interface": "interface", "site": "interface__device__site"}
    parent = django_filters.CharFilter(method="filter_parent", validators=[_valid_network])

    class Meta:
        model = models.IPAddress
        fields = ("address", "vrf", "tenant", "status", "role", "dns_name", "assigned_object_id", "description",
                  *TIMES)

    def filter_parent(self, queryset, name, value):
        return self.inside(queryset, value)
