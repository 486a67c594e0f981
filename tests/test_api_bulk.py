"""Bulk create, edit and delete on list endpoints: the signals of CONTRACT section 5, all or none."""
import contextlib
from collections import Counter

import pytest

from dcim.models import Device, Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import post_bulk_edit, post_delete, post_save, pre_bulk_edit, pre_delete, pre_save
from tests.api_data import client_for, device_refs, make_site

pytestmark = pytest.mark.django_db
SIGNALS = {"pre_save": pre_save, "post_save": post_save, "pre_delete": pre_delete, "post_delete": post_delete,
           "pre_bulk_edit": pre_bulk_edit, "post_bulk_edit": post_bulk_edit}


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


@contextlib.contextmanager
def recording(sender=Device):
    """Every signal sent for ``sender``, as a list of (signal name, kwargs)."""
    sent = []
    def recorder(name):
        return lambda **kw: sent.append((name, kw))

    receivers = {name: recorder(name) for name in SIGNALS}
    for name, signal in SIGNALS.items():
        signal.connect(receivers[name], sender=sender, weak=False)
    try:
        yield sent
    finally:
        for name, signal in SIGNALS.items():
            signal.disconnect(receivers[name], sender=sender)


@contextlib.contextmanager
def veto(signal, message, sender=Device):
    def receiver(**kwargs):
        raise AbortEvent(message)
    signal.connect(receiver, sender=sender, weak=False)
    try:
        yield
    finally:
        signal.disconnect(receiver, sender=sender)


def new_devices(n, start=100):
    refs = device_refs()
    return [{"name": f"new{i}", **refs} for i in range(start, start + n)]


def test_bulk_create_sends_one_save_signal_per_object(api):
    make_site()
    with recording() as sent:
        response = api.post("/api/dcim/devices/", new_devices(3), format="json")
    assert response.status_code == 201 and [d["name"] for d in response.json()] == ["new100", "new101", "new102"]
    assert Counter(name for name, _ in sent) == {"pre_save": 3, "post_save": 3}
    assert all(kw["created"] for name, kw in sent if name == "post_save")


def test_bulk_create_with_a_bad_item_writes_nothing(api):
    make_site()
    items = new_devices(3)
    items[2]["status"] = "sleeping"
    response = api.post("/api/dcim/devices/", items, format="json")
    assert response.status_code == 400 and response.json()[2] == {"status": ['"sleeping" is not a valid choice.']}
    # Two items in one list that collide with each other: the second one is named.
    response = api.post("/api/dcim/devices/", new_devices(1) + new_devices(1), format="json")
    assert response.status_code == 400 and response.json()[0] == {} and response.json()[1]
    assert Device.objects.count() == 0


def test_bulk_edit_sends_one_bulk_signal_per_change_group_and_no_save_signals(api):
    make_site(devices=5)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    body = [{"id": pk, "status": "offline"} for pk in pks[:3]] + [{"id": pk, "status": "planned"} for pk in pks[3:]]
    with recording() as sent:
        response = api.patch("/api/dcim/devices/", body, format="json")
    assert response.status_code == 200, response.content
    assert sorted(d["status"]["value"] for d in response.json()) == ["offline"] * 3 + ["planned"] * 2
    names = [name for name, _ in sent]
    assert Counter(names) == {"pre_bulk_edit": 2, "post_bulk_edit": 2}
    groups = {kw["changes"]["status"]: kw["pk_list"] for name, kw in sent if name == "post_bulk_edit"}
    assert groups == {"offline": pks[:3], "planned": pks[3:]}
    assert all(kw["request"] is not None for _, kw in sent)
    assert Counter(Device.objects.values_list("status", flat=True)) == {"offline": 3, "planned": 2}


def test_bulk_edit_of_a_foreign_key_groups_by_target(api):
    make_site(devices=2)
    other = make_site("DC2")
    pks = sorted(Device.objects.values_list("pk", flat=True))
    with recording() as sent:
        response = api.patch("/api/dcim/devices/", [{"id": pk, "site": {"slug": "dc2"}} for pk in pks],
                             format="json")
    assert response.status_code == 200
    assert [kw["pk_list"] for name, kw in sent if name == "pre_bulk_edit"] == [pks]
    assert set(Device.objects.values_list("site", flat=True)) == {other.pk}


def test_bulk_put_validates_whole_objects(api):
    make_site(devices=1)
    pk = Device.objects.get().pk
    assert api.put("/api/dcim/devices/", [{"id": pk, "status": "offline"}], format="json").status_code == 400
    full = {"id": pk, "name": "sw0", **device_refs(), "status": "offline"}
    assert api.put("/api/dcim/devices/", [full], format="json").status_code == 200
    assert Device.objects.get().status == "offline"


def test_bulk_edit_with_a_bad_item_writes_nothing(api):
    make_site(devices=3)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    for body in (
        [{"id": pks[0], "status": "offline"}, {"id": pks[1], "status": "sleeping"}],   # bad value
        [{"id": pks[0], "status": "offline"}, {"id": 99999, "status": "offline"}],     # unknown id
        [{"id": pks[0], "status": "offline"}, {"status": "offline"}],                  # no id
        [{"id": pks[0], "status": "offline"}, {"id": pks[1], "name": "sw0"}],          # duplicate name in site
        [{"id": pks[0], "status": "offline"}, {"id": pks[1], "colour": "red"}],        # unknown field
    ):
        with recording() as sent:
            response = api.patch("/api/dcim/devices/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert not any(name.startswith("post") for name, _ in sent)
    assert set(Device.objects.values_list("status", flat=True)) == {"active"}
    assert api.patch("/api/dcim/devices/", {"id": pks[0]}, format="json").status_code == 400  # not a list


def test_bulk_delete_sends_one_delete_signal_per_object(api):
    make_site(devices=3)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    with recording() as sent:
        response = api.delete("/api/dcim/devices/", [{"id": pk} for pk in pks[:2]], format="json")
    assert response.status_code == 204
    assert Counter(name for name, _ in sent) == {"pre_delete": 2, "post_delete": 2}
    assert list(Device.objects.values_list("pk", flat=True)) == pks[2:]


def test_bulk_delete_with_a_protected_or_unknown_item_deletes_nothing(api):
    site = make_site(devices=1)
    empty = make_site("DC2")
    response = api.delete("/api/dcim/sites/", [{"id": empty.pk}, {"id": site.pk}], format="json")
    assert response.status_code == 409 and "sw0" in str(response.json())
    response = api.delete("/api/dcim/sites/", [{"id": empty.pk}, {"id": 99999}], format="json")
    assert response.status_code == 400 and "99999" in str(response.json()[1]["id"])
    assert Site.objects.count() == 2


@pytest.mark.parametrize("signal,method", [(pre_save, "post"), (pre_save, "patch_one"), (pre_delete, "delete"),
                                           (pre_bulk_edit, "patch"), (pre_save, "post_list")])
def test_a_vetoing_receiver_gives_400_with_its_message_and_nothing_is_written(api, signal, method):
    make_site(devices=2)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    requests = {
        "post": lambda: api.post("/api/dcim/devices/", new_devices(1)[0], format="json"),
        "post_list": lambda: api.post("/api/dcim/devices/", new_devices(2), format="json"),
        "patch_one": lambda: api.patch(f"/api/dcim/devices/{pks[0]}/", {"status": "offline"}, format="json"),
        "patch": lambda: api.patch("/api/dcim/devices/", [{"id": pk, "status": "offline"} for pk in pks],
                                   format="json"),
        "delete": lambda: api.delete("/api/dcim/devices/", [{"id": pk} for pk in pks], format="json"),
    }
    with veto(signal, "change freeze until Monday"):
        response = requests[method]()
    assert response.status_code == 400 and response.json() == {"detail": "change freeze until Monday"}
    assert sorted(Device.objects.filter(status="active").values_list("pk", flat=True)) == pks
