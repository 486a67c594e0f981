"""Where things are: ``Region`` (a tree) and ``Site``."""
from django.core.exceptions import ValidationError
from django.db import models

from dcim.choices import SiteStatusChoices
from utilities.models import NetBoxModel, OrganizationalModel


class Region(OrganizationalModel):
    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="children", null=True, blank=True)

    def get_descendants(self, include_self=False):
        """The regions below this one, at any depth (NetBox's MPTT ``get_descendants``)."""
        pks, level = ([self.pk] if include_self else []), [self.pk]
        while level:
            level = list(Region.objects.filter(parent__in=level).values_list("pk", flat=True))
            pks.extend(level)
        return Region.objects.filter(pk__in=pks)

    def get_ancestors(self):
        ancestors, node = [], self.parent
        while node is not None and node not in ancestors:
            ancestors.insert(0, node)
            node = node.parent
        return ancestors

    def clean(self):
        super().clean()
        if self.pk and self.parent_id and self.parent_id in {r.pk for r in [self, *self.get_descendants()]}:
            raise ValidationError({"parent": "A region cannot be its own parent or the child of one of its children."})


class Site(NetBoxModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    status = models.CharField(max_length=50, choices=SiteStatusChoices.choices(),
                              default=SiteStatusChoices.STATUS_ACTIVE)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="sites", null=True, blank=True)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="sites",
                               null=True, blank=True)
    facility = models.CharField(max_length=50, blank=True, help_text="Local facility ID or description")
    time_zone = models.CharField(max_length=63, blank=True, help_text="e.g. Europe/Amsterdam")
    description = models.CharField(max_length=200, blank=True)
    physical_address = models.CharField(max_length=200, blank=True)
    shipping_address = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True, blank=True,
                                   help_text="GPS coordinate in decimal format (xx.yyyyyy)")
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True,
                                    help_text="GPS coordinate in decimal format (xx.yyyyyy)")
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_status_color(self):
        return SiteStatusChoices.color_of(self.status)
