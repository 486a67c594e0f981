"""``CachedScopeMixin`` (NetBox 4.2+): a generic ``scope`` (a region, a site ...) plus cached FKs for filtering.

A prefix or a cluster is scoped to one object of ``SCOPE_TYPES`` through ``scope_type`` and
``scope_id``, as in NetBox. On save the location, site, site group and region it falls
under are cached in ``_location``, ``_site``, ``_site_group`` and ``_region``, so that
``?site_id=``, ``?location_id=`` ... are plain joins.
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models

from utilities.derived import DerivedFieldsMixin
from utilities.generic import clean_generic_reference

SCOPE_TYPES = models.Q(app_label="dcim", model__in=("region", "sitegroup", "site", "location"))


class CachedScopeMixin(DerivedFieldsMixin, models.Model):
    scope_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                   blank=True, null=True, limit_choices_to=SCOPE_TYPES)
    scope_id = models.PositiveBigIntegerField(blank=True, null=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    _location = models.ForeignKey("dcim.Location", on_delete=models.CASCADE, related_name="+", blank=True,
                                  null=True, editable=False)
    _site = models.ForeignKey("dcim.Site", on_delete=models.CASCADE, related_name="+", blank=True, null=True,
                              editable=False)
    # SET_NULL: these cache an ancestor of the scope; deleting the ancestor must not delete the object (as NetBox).
    _region = models.ForeignKey("dcim.Region", on_delete=models.SET_NULL, related_name="+", blank=True, null=True,
                                editable=False)
    _site_group = models.ForeignKey("dcim.SiteGroup", on_delete=models.SET_NULL, related_name="+", blank=True,
                                    null=True, editable=False)

    derived_from = ("scope_type", "scope_id")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        clean_generic_reference(self, "scope", "scope")

    def save(self, *args, **kwargs):
        self.cache_related_objects()
        super().save(*args, **kwargs)

    def cache_related_objects(self):
        """Set ``_location``, ``_site``, ``_site_group`` and ``_region`` from the scope."""
        self.apply_derived_fields()
    cache_related_objects.alters_data = True

    def derive_fields(self):
        return scope_cache(self.scope if self.scope_type_id is not None else None)


def scope_cache(obj):
    """``{"_location", "_site", "_site_group", "_region"}`` that ``obj`` (a region, a site group, a site, a
    location, or None) falls under, as NetBox's ``cache_related_objects()`` works them out."""
    cached = {"_location": None, "_site": None, "_site_group": None, "_region": None}
    kind = obj._meta.model_name if obj is not None else None
    if kind == "region":
        cached["_region"] = obj
    elif kind == "sitegroup":
        cached["_site_group"] = obj
    elif kind in ("site", "location"):
        site = obj if kind == "site" else obj.site
        cached.update(_site=site, _region=site.region, _site_group=site.group)
        if kind == "location":
            cached["_location"] = obj
    return cached
