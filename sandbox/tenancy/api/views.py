"""Viewsets of the tenancy app."""
from netbox.api.viewsets import model_viewset
from tenancy.models import Tenant

TenantViewSet = model_viewset(Tenant)
