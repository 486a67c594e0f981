"""Clusters: ``ClusterType`` (VMware, Proxmox ...), ``ClusterGroup`` and ``Cluster`` (scoped, NetBox 4.2+)."""
from django.core.exceptions import ValidationError
from django.db import models

from utilities.models import NetBoxModel, OrganizationalModel
from utilities.scope import CachedScopeMixin
from virtualization.choices import ClusterStatusChoices


class ClusterType(OrganizationalModel):
    """The kind of cluster: VMware vSphere, Proxmox, OpenStack ..."""


class ClusterGroup(OrganizationalModel):
    """A free grouping of clusters, by region or purpose."""


class Cluster(CachedScopeMixin, NetBoxModel):
    name = models.CharField(max_length=100)
    type = models.ForeignKey(ClusterType, on_delete=models.PROTECT, related_name="clusters")
    group = models.ForeignKey(ClusterGroup, on_delete=models.PROTECT, related_name="clusters", null=True, blank=True)
    status = models.CharField(max_length=50, choices=ClusterStatusChoices, default=ClusterStatusChoices.STATUS_ACTIVE)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="clusters",
                               null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["scope_type", "scope_id"])]
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="virtualization_cluster_unique_group_name"),
            models.UniqueConstraint(fields=["_site", "name"], name="virtualization_cluster_unique__site_name"),
        ]

    def __str__(self):
        return self.name

    def get_status_color(self):
        return ClusterStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        if self.name and self.group_id is None and self.scope_type_id is None:
            # NULLs are distinct in the constraints: an unscoped, ungrouped name must still be unique.
            if Cluster.objects.filter(name=self.name, group=None, scope_type=None).exclude(pk=self.pk).exists():
                raise ValidationError({"name": f"A cluster named {self.name} with no group or scope already exists."})
