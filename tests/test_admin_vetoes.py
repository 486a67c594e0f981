"""A pre_* receiver's AbortEvent in the admin: an error message, the form kept, nothing written."""
import pytest
from django.contrib.messages import get_messages

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site

VETO = """
from dcim.models import Device, Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import pre_bulk_edit, pre_delete, pre_save

def no_lab_sites(sender, instance, **kwargs):
    if instance.name.lower().startswith("lab"):
        raise AbortEvent("lab sites are not allowed here")

def keep_core(sender, instance, **kwargs):
    if instance.name == "core":
        raise AbortEvent("core must stay")

def no_offline(sender, changes, **kwargs):
    if changes.get("status") == "offline":
        raise AbortEvent("no mass offlining")

pre_save.connect(no_lab_sites, sender=Site)
pre_delete.connect(keep_core, sender=Device)
pre_bulk_edit.connect(no_offline, sender=Device)
"""


@pytest.fixture
def vetoes(userscripts, db):
    userscripts.write("vetoes.py", VETO)
    userscripts.load()
    site = Site.objects.create(name="Ams", slug="ams")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    dtype = DeviceType.objects.create(manufacturer=maker, model="S1", slug="s1")
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")
    return [Device.objects.create(name=n, site=site, device_type=dtype, role=role) for n in ("core", "edge")]


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_vetoed_add_reshows_the_form_with_the_message(vetoes, admin_client):
    response = admin_client.post("/admin/dcim/site/add/", {"name": "Lab 1", "slug": "lab-1", "status": "active"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "lab sites are not allowed here" in page
    assert 'value="Lab 1"' in page  # the user's input is kept
    assert "Not saved: lab sites are not allowed here" in messages_of(response)
    assert not Site.objects.filter(slug="lab-1").exists()


def test_vetoed_delete_returns_to_the_object(vetoes, admin_client):
    core = vetoes[0]
    response = admin_client.post(f"/admin/dcim/device/{core.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"].endswith(f"/admin/dcim/device/{core.pk}/change/")
    assert Device.objects.filter(pk=core.pk).exists()
    assert "Not deleted: core must stay" in messages_of(response)


def test_vetoed_bulk_delete_deletes_nothing(vetoes, admin_client):
    response = admin_client.post("/admin/dcim/device/", {
        "action": "delete_selected", "_selected_action": [d.pk for d in vetoes], "post": "yes"}, follow=True)
    assert response.status_code == 200
    assert Device.objects.count() == 2
    assert any("core must stay" in m for m in messages_of(response))


def test_vetoed_bulk_edit_edits_nothing(vetoes, admin_client):
    response = admin_client.post("/admin/dcim/device/", {
        "action": "bulk_edit_selected", "_selected_action": [d.pk for d in vetoes], "apply_bulk_edit": "1",
        "_set_status": "on", "status": "offline"}, follow=True)
    assert response.status_code == 200
    assert not Device.objects.filter(status="offline").exists()
    assert any("Nothing edited: no mass offlining" in m for m in messages_of(response))
