"""Nautobot's ``Status``, so Nautobot jobs run here with only their imports changed.

Nautobot keeps statuses in a table (``Status.objects.get(slug="active")``); NetBox and this
project keep them as choice values on each model. A ``Status`` stands for its slug: it
converts to the slug (``str()``), so ``Device(status=STATUS_ACTIVE)`` and
``Device.objects.filter(status=STATUS_ACTIVE)`` work as in Nautobot.
"""
from django.db import models


class Status(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    color = models.CharField(max_length=6, default="9e9e9e")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "statuses"

    def __str__(self):
        return self.slug  # what a status field stores

    def __eq__(self, other):
        if isinstance(other, str):
            return self.slug == other
        return super().__eq__(other)

    __hash__ = models.Model.__hash__
