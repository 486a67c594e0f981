"""VLANs: ``VLANGroup`` (a scope and ranges of VLAN IDs, unique inside) and ``VLAN``, as in NetBox 4.7.

A group's ``vid_ranges`` is a list of inclusive ``[first, last]`` pairs (NetBox keeps
PostgreSQL ranges and shows them the same way in its API: ``[[1, 4094]]``).
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ipam.choices import VLANStatusChoices
from utilities.derived import DerivedFieldsMixin
from utilities.models import NetBoxModel

VLAN_VID_MIN, VLAN_VID_MAX = 1, 4094
VLANGROUP_SCOPE_TYPES = (models.Q(app_label="dcim", model__in=("region", "sitegroup", "site", "location", "rack"))
                         | models.Q(app_label="virtualization", model__in=("clustergroup", "cluster")))


def default_vid_ranges():
    return [[VLAN_VID_MIN, VLAN_VID_MAX]]


class VLANGroup(DerivedFieldsMixin, NetBoxModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    scope_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+",
                                   blank=True, null=True, limit_choices_to=VLANGROUP_SCOPE_TYPES)
    scope_id = models.PositiveBigIntegerField(blank=True, null=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    vid_ranges = models.JSONField(default=default_vid_ranges, verbose_name="VLAN ID ranges",
                                  help_text="Inclusive [first, last] pairs, e.g. [[100, 199], [300, 399]]")
    total_vlan_ids = models.PositiveBigIntegerField(default=VLAN_VID_MAX - VLAN_VID_MIN + 1, editable=False)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="vlan_groups",
                               null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)

    derived_from = ("vid_ranges",)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "VLAN group"
        verbose_name_plural = "VLAN groups"
        indexes = [models.Index(fields=["scope_type", "scope_id"])]
        constraints = [
            models.UniqueConstraint(fields=["scope_type", "scope_id", "name"], name="ipam_vlangroup_unique_scope_name"),
            models.UniqueConstraint(fields=["scope_type", "scope_id", "slug"], name="ipam_vlangroup_unique_scope_slug"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.scope_type_id and self.scope_id is None:
            raise ValidationError({"scope_id": "Cannot set scope_type without scope_id."})
        if self.scope_id is not None and not self.scope_type_id:
            raise ValidationError({"scope_type": "Cannot set scope_id without scope_type."})
        if self.scope_type_id and self.scope is None:
            raise ValidationError({"scope_id": f"No {self.scope_type.model} with id {self.scope_id}."})
        self._check_ranges()

    def _check_ranges(self):
        ranges = self.vid_ranges
        if not isinstance(ranges, list) or not ranges or not all(
                isinstance(r, (list, tuple)) and len(r) == 2 and all(type(v) is int for v in r) for r in ranges):
            raise ValidationError({"vid_ranges": "Give a list of [first, last] pairs of VLAN IDs, e.g. [[1, 4094]]."})
        for low, high in ranges:
            if low < VLAN_VID_MIN:
                raise ValidationError({"vid_ranges": f"Starting VLAN ID in range ({low}) cannot be less than "
                                                     f"{VLAN_VID_MIN}"})
            if high > VLAN_VID_MAX:
                raise ValidationError({"vid_ranges": f"Ending VLAN ID in range ({high}) cannot exceed {VLAN_VID_MAX}"})
            if low > high:
                raise ValidationError({"vid_ranges": f"Ending VLAN ID in range must be greater than or equal to the "
                                                     f"starting VLAN ID ({low}-{high})"})
        ordered = sorted(ranges)
        if any(prev[1] >= nxt[0] for prev, nxt in zip(ordered, ordered[1:], strict=False)):
            raise ValidationError({"vid_ranges": "Ranges cannot overlap."})

    def derive_fields(self):
        vid_ranges = sorted([int(low), int(high)] for low, high in self.vid_ranges)
        return {"vid_ranges": vid_ranges, "total_vlan_ids": sum(high - low + 1 for low, high in vid_ranges)}

    def save(self, *args, **kwargs):
        self.apply_derived_fields()
        super().save(*args, **kwargs)

    def contains_vid(self, vid):
        return any(low <= vid <= high for low, high in self.vid_ranges)

    def get_available_vids(self):
        """The VLAN IDs of the group's ranges not taken by one of its VLANs, in order."""
        free = {vid for low, high in self.vid_ranges for vid in range(low, high + 1)}
        free -= set(self.vlans.values_list("vid", flat=True))
        return sorted(free)

    def get_next_available_vid(self):
        available = self.get_available_vids()
        return available[0] if available else None

    def get_child_vlans(self):
        return self.vlans.order_by("vid")


class VLAN(NetBoxModel):
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="vlans", null=True, blank=True)
    group = models.ForeignKey(VLANGroup, on_delete=models.PROTECT, related_name="vlans", null=True, blank=True)
    vid = models.PositiveSmallIntegerField(verbose_name="VLAN ID", help_text="Numeric VLAN ID (1-4094)",
                                           validators=[MinValueValidator(VLAN_VID_MIN),
                                                       MaxValueValidator(VLAN_VID_MAX)])
    name = models.CharField(max_length=64)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="vlans",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=VLANStatusChoices, default=VLANStatusChoices.STATUS_ACTIVE,
                              help_text="Operational status of this VLAN")
    role = models.ForeignKey("ipam.Role", on_delete=models.SET_NULL, related_name="vlans", null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "group", "vid", "pk"]
        verbose_name = "VLAN"
        verbose_name_plural = "VLANs"
        constraints = [
            models.UniqueConstraint(fields=["group", "vid"], name="ipam_vlan_unique_group_vid"),
            models.UniqueConstraint(fields=["group", "name"], name="ipam_vlan_unique_group_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.vid})"

    def get_status_color(self):
        return VLANStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        if self.group_id and isinstance(self.vid, int) and not self.group.contains_vid(self.vid):
            ranges = ", ".join(f"{low}-{high}" for low, high in self.group.vid_ranges)
            raise ValidationError({"vid": f"VID must be in ranges {ranges} for VLANs in group {self.group}"})
        if self.group_id and self.site_id and self.group.scope_type_id:
            scope = self.group.scope
            kind = scope._meta.model_name if scope is not None else None
            if (kind == "site" and scope.pk != self.site_id) or (
                    kind == "region" and self.site.region_id not in {r.pk for r in scope.get_descendants(True)}):
                raise ValidationError({"site": f"The assigned site {self.site} is not a member of the assigned group "
                                               f"{self.group} (scope: {scope})."})
