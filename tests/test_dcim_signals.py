"""Userscripts hook the new dcim models with no change in the engine: saves, deletes and bulk edits."""
import pytest

from dcim.models import Cable, Device, DeviceRole, DeviceType, Interface, Manufacturer, Rack, Site
from tests.api_data import client_for

pytestmark = pytest.mark.django_db

HOOKS = """
from dcim.models import Cable, CableTermination, Interface, Rack
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import post_delete, post_save, pre_bulk_edit

seen = []

def cabled(sender, instance, created, **kwargs):
    if instance.cable_id:
        seen.append(f"{instance.name} cable end {instance.cable_end}")

def termination(sender, instance, created, **kwargs):
    seen.append(f"termination {instance.cable_end} created={created}")

def gone(sender, instance, **kwargs):
    seen.append(f"termination {instance.cable_end} deleted")

def no_deprecated_racks(sender, pk_list, changes, **kwargs):
    if changes.get("status") == "deprecated":
        raise AbortEvent("Racks are retired, not deprecated.")
    seen.append(f"bulk edit of {len(pk_list)} racks: {sorted(changes)}")

post_save.connect(cabled, sender=Interface)
post_save.connect(termination, sender=CableTermination)
post_delete.connect(gone, sender=CableTermination)
pre_bulk_edit.connect(no_deprecated_racks, sender=Rack)
"""


def test_cabling_and_rack_bulk_edits_reach_userscripts(userscripts, superuser, token_for):
    hooks = userscripts.load_module("dcim_hooks", HOOKS)
    site = Site.objects.create(name="DC1", slug="dc1")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    dtype = DeviceType.objects.create(manufacturer=maker, model="S", slug="s")
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")
    sw1, sw2 = (Device.objects.create(name=n, site=site, device_type=dtype, role=role) for n in ("sw1", "sw2"))
    a = Interface.objects.create(device=sw1, name="a", type="1000base-t")
    b = Interface.objects.create(device=sw2, name="b", type="1000base-t")
    cable = Cable.objects.create(a_terminations=[a], b_terminations=[b])
    assert hooks.seen == ["termination A created=True", "a cable end A", "termination B created=True",
                          "b cable end B"]
    hooks.seen.clear()
    cable.delete()
    assert sorted(hooks.seen) == ["termination A deleted", "termination B deleted"]
    assert Interface.objects.get(pk=a.pk).cable_end is None

    racks = [Rack.objects.create(site=site, name=f"R{i}") for i in range(3)]
    api = client_for(superuser, token_for)
    hooks.seen.clear()
    response = api.patch("/api/dcim/racks/", [{"id": r.pk, "status": "planned"} for r in racks], format="json")
    assert response.status_code == 200, response.content
    assert hooks.seen == ["bulk edit of 3 racks: ['status']"]
    response = api.patch("/api/dcim/racks/", [{"id": r.pk, "status": "deprecated"} for r in racks], format="json")
    assert response.status_code == 400 and response.json() == {"detail": "Racks are retired, not deprecated."}
    assert set(Rack.objects.values_list("status", flat=True)) == {"planned"}
