"""The tenancy app: ``Tenant``, the owner that sites, devices and IP space are assigned to."""
from django.db import models

from utilities.models import NetBoxModel


class Tenant(NetBoxModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
