"""The shipped ``userscripts/dns_records.py``: a DNS record per device, kept by tasks its ``post_commit`` queues."""
from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dcim.models import Device, Interface
from ipam.models import IPAddress
from tests.api_data import device_refs, make_site

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parent.parent / "userscripts" / "dns_records.py"


@pytest.fixture
def dns(userscripts):
    module = userscripts.load_files(EXAMPLE)["dns_records"]
    make_site()
    return module


def queued():
    """What was queued since the last call, as (task, kwargs); the queue is emptied."""
    runs = [(run.task_path.rsplit(".", 1)[1], run.args_kwargs["kwargs"])
            for run in DBTaskResult.objects.order_by("enqueued_at")]
    DBTaskResult.objects.all().delete()
    return runs


def new_device(name="sw1", address="10.1.0.11/24"):
    with transaction.atomic():  # created, then given its primary IPv4: one change, a create
        device = Device.objects.create(name=name, **{f"{k}_id": v for k, v in device_refs().items()})
        interface = Interface.objects.create(device=device, name="mgmt0", type="1000base-t")
        device.primary_ip4 = IPAddress.objects.create(address=address, assigned_object=interface)
        device.save()
    return device


def test_a_new_device_gets_its_record_from_a_task(dns, userscripts):
    device = new_device()
    assert queued() == [("set_record", {"name": "sw1", "ip_id": device.primary_ip4_id})]
    assert dns.set_record.call(name="sw1", ip_id=device.primary_ip4_id) == "sw1.demo.example A 10.1.0.11"
    assert "INFO dns_records.py: DNS: sw1.demo.example A 10.1.0.11" in userscripts.log.read_text()
    Device.objects.create(name="sw2", **{f"{k}_id": v for k, v in device_refs().items()})
    assert queued() == []  # no primary IPv4, no record


def test_a_rename_moves_the_record_a_status_change_does_not_touch_it(dns):
    device = new_device()
    queued()
    device.status = "offline"
    device.save()
    assert queued() == []
    device.name = "sw1-new"
    device.save()
    assert queued() == [("remove_record", {"name": "sw1"}),
                        ("set_record", {"name": "sw1-new", "ip_id": device.primary_ip4_id})]


def test_a_delete_removes_the_record(dns, userscripts):
    device = new_device()
    queued()
    device.delete()  # change.instance and change.after are None: the name comes from change.before
    assert queued() == [("remove_record", {"name": "sw1"})]
    assert dns.remove_record.call(name="sw1") == "sw1.demo.example"
    assert "Traceback" not in userscripts.log.read_text()


def test_an_address_gone_before_the_task_runs_removes_the_record(dns, userscripts):
    device = new_device()
    ip_id = device.primary_ip4_id
    IPAddress.objects.filter(pk=ip_id).delete()
    assert dns.set_record.call(name="sw1", ip_id=ip_id) == "sw1.demo.example"
    assert "INFO dns_records.py: DNS: sw1.demo.example removed" in userscripts.log.read_text()
