"""NetBox's ``Tag`` and ``TaggedItem``: labels any primary model can carry (``obj.tags``).

As in NetBox, the tags are django-taggit's: ``Tag`` is a taggit tag with a colour, a
description and a weight (tags sort by weight, then name), and ``TaggedItem`` is the
generic through table that ``NetBoxModel.tags`` names.
"""
from django.db import models
from django.utils.text import slugify
from taggit.models import GenericTaggedItemBase, TagBase

from utilities.fields import ColorField
from utilities.models import ChangeLoggedModel


class Tag(ChangeLoggedModel, TagBase):
    id = models.BigAutoField(primary_key=True)
    color = ColorField(default="9e9e9e")
    description = models.CharField(max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(default=1000)

    class Meta:
        ordering = ["weight", "name"]
        indexes = [models.Index(fields=["weight", "name"])]

    def slugify(self, tag, i=None):
        # Unicode allowed, so that a tag named only in non-Latin script gets a slug (as NetBox).
        slug = slugify(tag, allow_unicode=True)
        if i is not None:
            slug += f"_{i}"
        return slug


class TaggedItem(GenericTaggedItemBase):
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items")

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]
