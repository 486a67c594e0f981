"""Serializers of the tenancy app, in NetBox's shape (see ``netbox.api.serializers``)."""
from netbox.api.serializers import model_serializer
from tenancy.models import Tenant

TenantSerializer = model_serializer(Tenant, ("name", "slug", "description"))
