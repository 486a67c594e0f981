"""The data apps in the Django admin: list, search, add, edit, delete, and the bulk edit action."""
import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from dcim.choices import DeviceStatusChoices
from dcim.models import Cable, Device, DeviceRole, DeviceType, Interface, Manufacturer, Site
from ipam.models import IPAddress, Prefix
from tenancy.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    site = Site.objects.create(name="Amsterdam 1", slug="ams1")
    maker = Manufacturer.objects.create(name="Juniper", slug="juniper")
    dtype = DeviceType.objects.create(manufacturer=maker, model="EX4300", slug="ex4300")
    role = DeviceRole.objects.create(name="Access Switch", slug="access-switch")
    devices = [Device.objects.create(name=f"sw{i}", site=site, device_type=dtype, role=role) for i in range(3)]
    iface = Interface.objects.create(device=devices[0], name="ge-0/0/0", type="1000base-t")
    other = Interface.objects.create(device=devices[1], name="ge-0/0/0", type="1000base-t")
    Cable.objects.create(termination_a=iface, termination_b=other)
    prefix = Prefix.objects.create(prefix="10.1.0.0/24", scope=site)
    ip = IPAddress.objects.create(address="10.1.0.1/24", assigned_object=iface)
    return {"site": site, "dtype": dtype, "role": role, "devices": devices, "prefix": prefix, "ip": ip}


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_model_is_registered_with_search():
    from django.apps import apps

    for label in ("tenancy", "dcim", "ipam", "virtualization", "circuits"):
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry, model
            assert admin.site._registry[model].search_fields, model


def test_every_changelist_and_add_page_renders(admin_client, data):
    for model in admin.site._registry:
        if model._meta.app_label in ("tenancy", "dcim", "ipam", "virtualization", "circuits", "extras"):
            assert admin_client.get(url(model, "changelist")).status_code == 200, model
            assert admin_client.get(url(model, "changelist"), {"q": "1"}).status_code == 200, model
            assert admin_client.get(url(model, "add")).status_code == 200, model


@pytest.mark.parametrize("model, key, query", [
    (Device, "devices", "sw0"), (Site, "site", "ams"), (Prefix, "prefix", "10.1.0"), (IPAddress, "ip", "10.1.0.1"),
])
def test_change_page_and_search(admin_client, data, model, key, query):
    obj = data[key][0] if key == "devices" else data[key]
    assert admin_client.get(url(model, "change", obj.pk)).status_code == 200
    response = admin_client.get(url(model, "changelist"), {"q": query})
    assert response.status_code == 200
    assert obj in response.context["cl"].result_list


def test_get_absolute_url_is_the_change_page(data):
    device = data["devices"][0]
    assert device.get_absolute_url() == f"/admin/dcim/device/{device.pk}/change/"


def test_changelists_do_not_query_per_row(admin_client, data, django_assert_max_num_queries):
    dtype, role, site = data["dtype"], data["role"], data["site"]
    for i in range(3, 30):
        Device.objects.create(name=f"sw{i}", site=site, device_type=dtype, role=role)
    with django_assert_max_num_queries(20):
        admin_client.get(url(Device, "changelist"))
    with django_assert_max_num_queries(20):
        admin_client.get(url(IPAddress, "changelist"))
    with django_assert_max_num_queries(20):
        admin_client.get(url(Cable, "changelist"))


def inline_management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def device_form(data, **fields):
    form = {"name": "sw-new", "role": data["role"].pk, "device_type": data["dtype"].pk, "site": data["site"].pk,
            "status": "active", **inline_management("interfaces"), **inline_management("consoleports"),
            **inline_management("powerports")}
    form.update(fields)
    return form


def test_add_edit_delete_device(admin_client, data):
    form = device_form(data, **inline_management("interfaces", 1), **{
        "interfaces-0-name": "eth0", "interfaces-0-type": "1000base-t", "interfaces-0-enabled": "on"})
    response = admin_client.post(url(Device, "add"), form)
    assert response.status_code == 302, response.context["adminform"].errors
    device = Device.objects.get(name="sw-new")
    assert list(device.interfaces.values_list("name", flat=True)) == ["eth0"]

    response = admin_client.post(url(Device, "change", device.pk), device_form(data, name="sw-renamed",
                                                                                status="planned"))
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.name, device.status) == ("sw-renamed", "planned")

    response = admin_client.post(url(Device, "delete", device.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Device.objects.filter(pk=device.pk).exists()


def test_duplicate_device_name_shows_the_message(admin_client, data):
    response = admin_client.post(url(Device, "add"), device_form(data, name="sw1"))
    assert response.status_code == 200
    assert "Device name must be unique per site" in response.content.decode()


def test_add_edit_delete_site(admin_client):
    form = {"name": "Berlin", "slug": "ber1", "status": "planned"}
    assert admin_client.post(url(Site, "add"), form).status_code == 302
    site = Site.objects.get(slug="ber1")
    assert admin_client.post(url(Site, "change", site.pk), {**form, "status": "active"}).status_code == 302
    assert Site.objects.get(pk=site.pk).status == "active"
    assert admin_client.post(url(Site, "delete", site.pk), {"post": "yes"}).status_code == 302
    assert not Site.objects.filter(pk=site.pk).exists()


def test_add_edit_delete_prefix(admin_client):
    assert admin_client.post(url(Prefix, "add"), {"prefix": "10.9.0.0/16", "status": "active"}).status_code == 302
    prefix = Prefix.objects.get(prefix="10.9.0.0/16")
    response = admin_client.post(url(Prefix, "change", prefix.pk), {"prefix": "10.9.0.1/16", "status": "active"})
    assert response.status_code == 200
    assert "has host bits set; did you mean 10.9.0.0/16?" in response.content.decode()
    response = admin_client.post(url(Prefix, "change", prefix.pk), {"prefix": "10.8.0.0/16", "status": "reserved"})
    assert response.status_code == 302
    assert str(Prefix.objects.get(pk=prefix.pk).prefix) == "10.8.0.0/16"
    assert admin_client.post(url(Prefix, "delete", prefix.pk), {"post": "yes"}).status_code == 302
    assert not Prefix.objects.exists()


def test_add_edit_delete_ip_address(admin_client, data):
    iface = data["devices"][2].interfaces.create(name="eth1", type="1000base-t")
    form = {"address": "10.1.0.9/24", "status": "active", "assigned_object_type": "", "assigned_object_id": ""}
    assert admin_client.post(url(IPAddress, "add"), form).status_code == 302
    ip = IPAddress.objects.get(address="10.1.0.9/24")
    response = admin_client.post(url(IPAddress, "change", ip.pk), {**form, "address": "10.1.0.300/24"})
    assert response.status_code == 200
    assert "&#x27;10.1.0.300/24&#x27; is not a valid IP address" in response.content.decode()
    from django.contrib.contenttypes.models import ContentType

    assigned = {**form, "assigned_object_type": ContentType.objects.get_for_model(Interface).pk,
                "assigned_object_id": iface.pk}
    assert admin_client.post(url(IPAddress, "change", ip.pk), assigned).status_code == 302
    assert IPAddress.objects.get(pk=ip.pk).assigned_object == iface
    assert admin_client.post(url(IPAddress, "delete", ip.pk), {"post": "yes"}).status_code == 302
    assert not IPAddress.objects.filter(pk=ip.pk).exists()


def bulk_edit(client, pks, **fields):
    form = {"action": "bulk_edit_selected", "_selected_action": pks, "apply_bulk_edit": "1", **fields}
    return client.post(url(Device, "changelist"), form, follow=True)


def test_bulk_edit_devices_status(admin_client, data):
    pks = [d.pk for d in data["devices"][:2]]
    response = bulk_edit(admin_client, pks, _set_status="on", status=DeviceStatusChoices.STATUS_PLANNED)
    assert response.status_code == 200
    statuses = dict(Device.objects.values_list("name", "status"))
    assert statuses == {"sw0": "planned", "sw1": "planned", "sw2": "active"}
    assert any(m.startswith("Edited 2 devices") for m in texts(response))


def test_bulk_edit_devices_invalid_change_edits_nothing(admin_client, data):
    other = Site.objects.create(name="Berlin", slug="ber1")
    Device.objects.create(name="sw0", site=other, device_type=data["dtype"], role=data["role"])
    pks = [d.pk for d in data["devices"]]
    response = bulk_edit(admin_client, pks, _set_site="on", site=other.pk, _set_tenant="on",
                         tenant=Tenant.objects.create(name="Acme", slug="acme").pk)
    assert response.status_code == 200
    assert any("Device name must be unique per site" in m for m in texts(response))
    assert Device.objects.filter(site=other).count() == 1
    assert not Device.objects.filter(tenant__isnull=False).exists()


def test_delete_a_cabled_device_with_addresses(admin_client, data):
    device = data["devices"][0]
    assert admin_client.get(url(Device, "delete", device.pk)).status_code == 200
    assert admin_client.post(url(Device, "delete", device.pk), {"post": "yes"}).status_code == 302
    assert not Cable.objects.exists() and not IPAddress.objects.exists()
    assert Interface.objects.get(device=data["devices"][1]).cable is None


def test_add_cable(admin_client, data):
    from django.contrib.contenttypes.models import ContentType

    a = data["devices"][2].interfaces.create(name="ge-0/0/1", type="1000base-t")
    b = data["devices"][1].interfaces.create(name="ge-0/0/1", type="1000base-t")
    interface = ContentType.objects.get_for_model(Interface).pk
    form = {"termination_a_type": interface, "termination_a_id": a.pk, "termination_b_type": interface,
            "termination_b_id": b.pk, "status": "connected"}
    assert admin_client.post(url(Cable, "add"), form).status_code == 302
    assert Interface.objects.get(pk=a.pk).connected_endpoint == b
    response = admin_client.post(url(Cable, "add"), form)
    assert response.status_code == 200 and "already has a cable" in response.content.decode()
