"""Where things are: ``Region`` and ``SiteGroup`` (trees), ``Site`` and ``Location`` (a tree inside a site)."""
from django.core.exceptions import ValidationError
from django.db import models

from dcim.choices import LocationStatusChoices, SiteStatusChoices
from utilities.models import NetBoxModel, OrganizationalModel


class TreeMixin:
    """NetBox's MPTT ``get_descendants``/``get_ancestors`` over a plain ``parent`` foreign key."""

    def get_descendants(self, include_self=False):
        """The nodes below this one, at any depth."""
        model = type(self)
        pks, level = ([self.pk] if include_self else []), [self.pk]
        while level:
            level = list(model.objects.filter(parent__in=level).exclude(pk__in=pks).values_list("pk", flat=True))
            pks.extend(level)
        return model.objects.filter(pk__in=pks)

    def get_ancestors(self, include_self=False):
        ancestors, node = [], self.parent
        while node is not None and node not in ancestors:
            ancestors.insert(0, node)
            node = node.parent
        return [*ancestors, self] if include_self else ancestors

    def clean_parent(self):
        if self.pk and self.parent_id and self.parent_id in {n.pk for n in [self, *self.get_descendants()]}:
            name = self._meta.verbose_name
            raise ValidationError({"parent": f"A {name} cannot be its own parent or the child of one of its children."})


class Region(TreeMixin, OrganizationalModel):
    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="children", null=True, blank=True)

    def clean(self):
        super().clean()
        self.clean_parent()


class SiteGroup(TreeMixin, OrganizationalModel):
    """A free grouping of sites by role or function (NetBox's site groups), nested like regions."""

    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="children", null=True, blank=True)

    def clean(self):
        super().clean()
        self.clean_parent()


class Site(NetBoxModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    status = models.CharField(max_length=50, choices=SiteStatusChoices.choices(),
                              default=SiteStatusChoices.STATUS_ACTIVE)
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, related_name="sites", null=True, blank=True)
    group = models.ForeignKey(SiteGroup, on_delete=models.SET_NULL, related_name="sites", null=True, blank=True)
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


class Location(TreeMixin, NetBoxModel):
    """A floor, room or cage of a site; locations nest, and each stays within its parent's site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="locations")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, related_name="children", null=True, blank=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    status = models.CharField(max_length=50, choices=LocationStatusChoices.choices(),
                              default=LocationStatusChoices.STATUS_ACTIVE)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="locations",
                               null=True, blank=True)
    facility = models.CharField(max_length=50, blank=True, help_text="Local facility ID or description")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "parent", "name"], name="dcim_location_parent_name"),
            models.UniqueConstraint(fields=["site", "name"], condition=models.Q(parent__isnull=True),
                                    name="dcim_location_name",
                                    violation_error_message="A location with this name already exists within the "
                                                            "specified site."),
            models.UniqueConstraint(fields=["site", "parent", "slug"], name="dcim_location_parent_slug"),
            models.UniqueConstraint(fields=["site", "slug"], condition=models.Q(parent__isnull=True),
                                    name="dcim_location_slug",
                                    violation_error_message="A location with this slug already exists within the "
                                                            "specified site."),
        ]

    def __str__(self):
        return self.name

    def get_status_color(self):
        return LocationStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        self.clean_parent()
        if self.parent_id and self.site_id and self.parent.site_id != self.site_id:
            raise ValidationError({"parent": f"Parent location ({self.parent}) must belong to the same site "
                                             f"({self.site})."})
