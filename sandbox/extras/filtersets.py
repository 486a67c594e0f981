"""Filtersets of the extras app's data (NetBox's filter names; see ``netbox.api.filtersets``)."""
from extras.models import Tag
from netbox.api.filtersets import BaseFilterSet


class TagFilterSet(BaseFilterSet):
    search_fields = ("name__icontains", "slug__icontains", "description__icontains")

    class Meta:
        model = Tag
        fields = ("name", "slug", "color", "description", "weight", "created", "last_updated")
