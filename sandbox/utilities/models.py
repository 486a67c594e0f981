"""The bases every data-app model shares: admin URL, ``display``, timestamps and tags.

``ChangeLoggedModel`` has the timestamps and the methods scripts call; ``NetBoxModel`` adds
NetBox's ``tags`` (django-taggit through ``extras.TaggedItem``, as in NetBox), so every
primary and organisational model can be tagged: ``device.tags.add(tag)``,
``Device.objects.filter(tags__slug="core")``.

Scripts written for NetBox and Nautobot call ``obj.snapshot()`` (change logging) and
``obj.validated_save()`` (Nautobot); both work here.
"""
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager


class ChangeLoggedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True, null=True, blank=True, editable=False)
    last_updated = models.DateTimeField(auto_now=True, null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def get_absolute_url(self):
        """The object's page is its admin change page."""
        opts = self._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.pk])

    @property
    def display(self):
        return str(self)

    def snapshot(self):
        """NetBox records the pre-change state for its change log; there is no change log here."""

    def validated_save(self, *args, **kwargs):
        """Nautobot's spelling of ``full_clean()`` then ``save()``."""
        self.full_clean()
        self.save(*args, **kwargs)


class NetBoxModel(ChangeLoggedModel):
    # blank: tags are optional in forms (NetBox's own forms make them optional too).
    tags = TaggableManager(through="extras.TaggedItem", ordering=("weight", "name"), blank=True)

    class Meta:
        abstract = True


def has_tags(model):
    """Whether ``model`` has NetBox's ``tags`` field (every ``NetBoxModel`` does)."""
    try:
        return isinstance(model._meta.get_field("tags"), TaggableManager)
    except (FieldDoesNotExist, AttributeError):  # AttributeError: not a model
        return False


class OrganizationalModel(NetBoxModel):
    """A model that sorts others (regions, roles, manufacturers ...): a unique name and slug."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name
