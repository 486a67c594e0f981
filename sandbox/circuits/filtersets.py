"""Filtersets of the circuits app (NetBox's filter names; see ``netbox.api.filtersets``)."""
from circuits import models
from dcim.filtersets import CABLE_END_FIELDS, CableEndFilterSet
from ipam.filtersets import SCOPED
from netbox.api.filtersets import BaseFilterSet

TIMES = ("created", "last_updated")


class ProviderFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "description__icontains", "comments__icontains")
    related = {"asn": "asns"}

    class Meta:
        model = models.Provider
        fields = ("name", "slug", "description", *TIMES)


class ProviderAccountFilterSet(BaseFilterSet):
    search_fields = ("account__icontains", "name__icontains", "description__icontains")

    class Meta:
        model = models.ProviderAccount
        fields = ("provider", "account", "name", "description", *TIMES)


class ProviderNetworkFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "service_id__icontains", "description__icontains")

    class Meta:
        model = models.ProviderNetwork
        fields = ("provider", "name", "service_id", "description", *TIMES)


class CircuitTypeFilterSet(BaseFilterSet):
    class Meta:
        model = models.CircuitType
        fields = ("name", "slug", "color", "description", *TIMES)


class CircuitFilterSet(BaseFilterSet):
    search_fields = ("cid__icontains", "description__icontains", "comments__icontains")
    related = {"location": "terminations___location", "site": "terminations___site",
               "site_group": "terminations___site_group", "region": "terminations___region"}

    class Meta:
        model = models.Circuit
        fields = ("cid", "provider", "provider_account", "type", "status", "tenant", "install_date",
                  "termination_date", "commit_rate", "distance", "distance_unit", "description", *TIMES)

    @property
    def qs(self):
        # A circuit ends at two sites at most: one row per circuit even when both match.
        return super().qs.distinct()


class CircuitTerminationFilterSet(CableEndFilterSet):
    search_fields = ("circuit__cid__icontains", "xconnect_id__icontains", "pp_info__icontains",
                     "description__icontains")
    related = {**SCOPED, "provider_network": "_provider_network", "provider": "circuit__provider"}

    class Meta:
        model = models.CircuitTermination
        fields = ("circuit", "term_side", "termination_type", "termination_id", "port_speed", "upstream_speed",
                  "xconnect_id", "pp_info", *CABLE_END_FIELDS, "description", *TIMES)
