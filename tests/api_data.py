"""Objects and clients for the API tests (tests/test_api_*.py): a site with devices, a token client."""
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from tenancy.models import Tenant

# Every list endpoint of the issue, as (app, endpoint).
ENDPOINTS = [("tenancy", "tenants")] + [("dcim", e) for e in (
    "regions", "site-groups", "sites", "locations", "rack-roles", "racks", "manufacturers", "device-types",
    "device-roles", "platforms", "devices", "interfaces", "console-ports", "console-server-ports", "power-ports",
    "power-outlets", "front-ports", "rear-ports", "device-bays", "module-bays", "console-port-templates",
    "console-server-port-templates", "power-port-templates", "power-outlet-templates", "interface-templates",
    "front-port-templates", "rear-port-templates", "device-bay-templates", "module-bay-templates", "power-panels",
    "power-feeds", "cables", "cable-terminations", "mac-addresses")] + [
    ("ipam", e) for e in ("prefixes", "ip-addresses", "vlans", "vrfs", "rirs", "aggregates", "ip-ranges", "roles",
                          "vlan-groups", "asns")] + [
    ("virtualization", e) for e in ("cluster-types", "cluster-groups", "clusters", "virtual-machines",
                                    "interfaces")] + [
    ("circuits", e) for e in ("providers", "provider-accounts", "provider-networks", "circuit-types", "circuits",
                              "circuit-terminations")] + [("extras", "tags")]


def client_for(user, token_for):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def grant(user, *codenames):
    """Give ``user`` permissions such as ``"dcim.view_site"``."""
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def make_site(name="DC1", devices=0):
    """A site, a tenant, a manufacturer, a type, a role and ``devices`` devices named ``sw<N>``."""
    tenant, _ = Tenant.objects.get_or_create(name="Acme", slug="acme")
    site = Site.objects.create(name=name, slug=name.lower(), tenant=tenant)
    maker, _ = Manufacturer.objects.get_or_create(name="Cisco", slug="cisco")
    device_type, _ = DeviceType.objects.get_or_create(manufacturer=maker, model="C9200", slug="c9200")
    role, _ = DeviceRole.objects.get_or_create(name="Access", slug="access")
    Device.objects.bulk_create(Device(name=f"sw{i}", site=site, device_type=device_type, role=role, tenant=tenant)
                               for i in range(devices))
    return site


def device_refs(site_name="DC1"):
    """The pks a new device of ``make_site()`` needs (never hard-coded: PostgreSQL does not reuse ids)."""
    return {"site": Site.objects.get(name=site_name).pk, "device_type": DeviceType.objects.get(slug="c9200").pk,
            "role": DeviceRole.objects.get(slug="access").pk}
