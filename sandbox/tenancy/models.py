"""The tenancy app: ``Tenant``, the owner that sites, devices and IP space are assigned to."""
from django.db import models

from utilities.models import OrganizationalModel


class Tenant(OrganizationalModel):
    comments = models.TextField(blank=True)
