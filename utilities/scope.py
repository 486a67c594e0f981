"""``CachedScopeMixin`` (NetBox 4.2+): a generic ``scope`` (a region, a site ...) plus cached FKs for filtering.

A prefix or a cluster is scoped to one object of ``SCOPE_TYPES`` through ``scope_type`` and
``scope_id``, as in NetBox. On save the site and region it falls under are cached in
``_site`` and ``_region``, so that ``?site_id=`` and ``?region_id=`` are plain joins.
(NetBox also caches ``_location`` and ``_site_group``; add them with those models.)
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models

from utilities.derived import DerivedFieldsMixin

SCOPE_TYPES = models.Q(app_label="dcim", model__in=("region", "sitegroup", "site", "location"))


class CachedScopeMixin(DerivedFieldsMixin, models.Model):
    scope_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                   blank=True, null=True, limit_choices_to=SCOPE_TYPES)
    scope_id = models.PositiveBigIntegerField(blank=True, null=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    _site = models.ForeignKey("dcim.Site", on_delete=models.CASCADE, related_name="+", blank=True, null=True,
                              editable=False)
    _region = models.ForeignKey("dcim.Region", on_delete=models.SET_NULL, related_name="+", blank=True, null=True,
                                editable=False)

    derived_from = ("scope_type", "scope_id")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.scope_type_id is not None and self.scope_id is None:
            raise ValidationError({"scope_id": f"Please select a {self.scope_type.model}."})
        if self.scope_id is not None and self.scope_type_id is None:
            raise ValidationError({"scope_type": "Give the type of the scope as well as its id."})
        if self.scope_type_id is not None and self.scope is None:
            raise ValidationError({"scope_id": f"No {self.scope_type.model} with id {self.scope_id}."})

    def save(self, *args, **kwargs):
        self.cache_related_objects()
        super().save(*args, **kwargs)

    def cache_related_objects(self):
        """Set ``_site`` and ``_region`` from the scope (a site's region; a location's site)."""
        self.apply_derived_fields()
    cache_related_objects.alters_data = True

    def derive_fields(self):
        return site_and_region(self.scope if self.scope_type_id is not None else None)


def site_and_region(obj):
    """``{"_site", "_region"}`` that ``obj`` (a region, a site, a location, or None) falls under."""
    kind = obj._meta.model_name if obj is not None else None
    if kind == "region":
        return {"_site": None, "_region": obj}
    if kind == "site":
        return {"_site": obj, "_region": obj.region}
    if obj is not None and hasattr(obj, "site"):  # a location
        return {"_site": obj.site, "_region": obj.site.region}
    return {"_site": None, "_region": None}
