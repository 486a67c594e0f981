"""Filtersets of the tenancy app (NetBox's filter names; see ``netbox.api.filtersets``)."""
from netbox.api.filtersets import BaseFilterSet
from tenancy.models import Tenant


class TenantFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "slug__icontains", "description__icontains")

    class Meta:
        model = Tenant
        fields = ("name", "slug", "description", "created", "last_updated")
