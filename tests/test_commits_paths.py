"""``post_commit`` from the outside: every path that writes, seen in the file a userscript writes.

The userscript appends one JSON line per signal; the tests read the file. A request that
fails, a veto and a job without ``commit`` leave it untouched.
"""
import io
import json

import pytest
from django.core.management import call_command

from custom_objects.scripting import get_model
from dcim.models import Device, Interface, Site
from tests.api_data import client_for, device_refs, make_site
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401
from tests.test_admin import inline_management

pytestmark = pytest.mark.django_db(transaction=True)

PUSHER = """
import json

from django.dispatch import receiver

from custom_objects.hooks import receiver as type_receiver
from dcim.models import Device, Interface, Site
from netbox_userscripts.signals import post_commit

OUT = {out!r}


@receiver(post_commit, sender=Device)
@receiver(post_commit, sender=Site)
@receiver(post_commit, sender=Interface)
@type_receiver(post_commit, slug="dhcp-scope")
def committed(sender, changes, request, using, **kwargs):
    line = {{"model": sender._meta.label, "path": request.path if request else None, "changes": [
        {{"action": c.action, "pk": c.pk, "changed": sorted(c.changed), "before": c.before, "after": c.after,
          "instance": str(c.instance) if c.instance is not None else None}} for c in changes]}}
    with open(OUT, "a") as f:
        f.write(json.dumps(line, default=str) + "\\n")
"""

GUARD = """
from django.dispatch import receiver

from dcim.models import Device
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import pre_delete, pre_save


@receiver(pre_delete, sender=Device)
def keep_core(sender, instance, **kwargs):
    if instance.name == "core":
        raise AbortEvent("core must stay")


@receiver(pre_save, sender=Device)
def no_lab(sender, instance, **kwargs):
    if instance.name.startswith("lab"):
        raise AbortEvent("no lab devices")
"""

JOBS = """
from dcim.models import Site
from netbox_userscripts.jobs import Job, StringVar


class AddSite(Job):
    name = StringVar()

    def run(self, data, commit):
        Site.objects.create(name=data["name"], slug=data["name"].lower())
"""


@pytest.fixture
def pushed(userscripts, tmp_path):
    """Loads the pusher (and the guard and jobs beside it); returns a function reading what it wrote."""
    out = tmp_path / "pushed.jsonl"
    userscripts.write("pusher.py", PUSHER.format(out=str(out)))
    userscripts.write("guard.py", GUARD)
    userscripts.write("jobs.py", JOBS)
    userscripts.load()

    def read():
        return [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []

    return read


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


def new_devices(n, **extra):
    return [{"name": f"new{i}", **device_refs(), **extra} for i in range(n)]


def test_a_bulk_post_with_a_bad_item_writes_nothing_and_sends_nothing(api, pushed):
    make_site()
    before = len(pushed())  # make_site's own site
    items = new_devices(3)
    items[2]["status"] = "sleeping"
    assert api.post("/api/dcim/devices/", items, format="json").status_code == 400
    assert len(pushed()) == before and not Device.objects.exists()


def test_a_bulk_post_is_one_signal_with_every_create(api, pushed):
    make_site()
    assert api.post("/api/dcim/devices/", new_devices(3), format="json").status_code == 201
    line = pushed()[-1]
    assert (line["model"], line["path"]) == ("dcim.Device", "/api/dcim/devices/")
    assert [(c["action"], c["after"]["name"], c["before"]) for c in line["changes"]] == [
        ("create", "new0", None), ("create", "new1", None), ("create", "new2", None)]


def test_a_bulk_patch_of_n_objects_is_one_signal_with_n_updates(api, pushed):
    make_site(devices=5)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    body = [{"id": pk, "status": "offline"} for pk in pks[:3]] + [{"id": pk, "status": "planned"} for pk in pks[3:]]
    assert api.patch("/api/dcim/devices/", body, format="json").status_code == 200
    line = pushed()[-1]
    assert line["model"] == "dcim.Device" and [c["pk"] for c in line["changes"]] == pks
    assert {(c["action"], c["before"]["status"], c["after"]["status"]) for c in line["changes"]} == {
        ("update", "active", "offline"), ("update", "active", "planned")}
    assert all(c["changed"] == ["status"] and c["instance"].startswith("sw") for c in line["changes"])


def test_a_vetoed_delete_and_a_vetoed_create_send_nothing(api, pushed):
    make_site()
    core, edge = api.post("/api/dcim/devices/", new_devices(2), format="json").json()
    Device.objects.filter(pk=core["id"]).update(name="core")
    sent = len(pushed())
    assert api.delete(f"/api/dcim/devices/{core['id']}/").status_code == 400
    assert api.post("/api/dcim/devices/", {"name": "lab1", **device_refs()}, format="json").status_code == 400
    assert len(pushed()) == sent
    assert api.delete(f"/api/dcim/devices/{edge['id']}/").status_code == 204
    assert pushed()[-1]["changes"] == [{"action": "delete", "pk": edge["id"], "changed": pushed()[-1]["changes"][0][
        "changed"], "before": pushed()[-1]["changes"][0]["before"], "after": None, "instance": None}]
    assert pushed()[-1]["changes"][0]["before"]["name"] == "new1"


def test_a_cascade_reports_every_deleted_object(api, pushed):
    make_site(devices=1)
    device = Device.objects.get()
    interfaces = sorted(Interface.objects.create(device=device, name=f"eth{i}", type="1000base-t").pk
                        for i in range(3))
    sent = len(pushed())
    assert api.delete(f"/api/dcim/devices/{device.pk}/").status_code == 204
    lines = {line["model"]: line for line in pushed()[sent:]}
    assert sorted(lines) == ["dcim.Device", "dcim.Interface"]
    assert sorted(c["pk"] for c in lines["dcim.Interface"]["changes"]) == interfaces
    assert {c["action"] for line in lines.values() for c in line["changes"]} == {"delete"}


def test_an_admin_edit_is_reported_with_its_request_and_a_failed_one_is_not(admin_client, pushed):
    make_site()
    refs = device_refs()
    device = Device.objects.create(name="sw1", site_id=refs["site"], device_type_id=refs["device_type"],
                                   role_id=refs["role"])
    sent = len(pushed())
    form = {"name": "sw1", "site": refs["site"], "device_type": refs["device_type"], "role": refs["role"],
            "status": "offline", **inline_management("interfaces"), **inline_management("consoleports"),
            **inline_management("powerports")}
    assert admin_client.post(f"/admin/dcim/device/{device.pk}/change/", form).status_code == 302
    line = pushed()[-1]
    assert line["path"] == f"/admin/dcim/device/{device.pk}/change/"
    assert [(c["action"], c["before"]["status"], c["after"]["status"]) for c in line["changes"]] == [
        ("update", "active", "offline")]
    assert admin_client.post(f"/admin/dcim/device/{device.pk}/change/", {**form, "name": "lab9"}).status_code == 200
    assert len(pushed()) == sent + 1 and Device.objects.get().name == "sw1"


def test_runjob_sends_only_when_it_commits(pushed):
    call_command("runjob", "--data", '{"name": "Dry"}', "jobs.AddSite", stdout=io.StringIO())
    assert pushed() == [] and not Site.objects.exists()
    call_command("runjob", "--commit", "--data", '{"name": "Real"}', "jobs.AddSite", stdout=io.StringIO())
    line, = pushed()
    assert (line["model"], line["path"], line["changes"][0]["after"]["slug"]) == ("dcim.Site", None, "real")


@pytest.mark.usefixtures("dropped_types")
def test_custom_objects_send_with_the_types_model(api, pushed):
    make_type("dhcp_scope", name={"type": "text", "primary": True})
    root = "/api/plugins/custom-objects/dhcp-scope/"
    created = api.post(root, [{"name": "a"}, {"name": "b"}], format="json").json()
    renamed = [{"id": o["id"], "name": o["name"] + "2"} for o in created]
    assert api.patch(root, renamed, format="json").status_code == 200
    create, update = pushed()
    assert create["model"] == update["model"] == get_model("dhcp-scope")._meta.label
    assert [c["action"] for c in create["changes"]] == ["create", "create"]
    assert [(c["before"]["name"], c["after"]["name"]) for c in update["changes"]] == [("a", "a2"), ("b", "b2")]
