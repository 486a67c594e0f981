"""A task: dns_records.py's post_commit queues a task per new device; run_tasks runs it now."""
from pathlib import Path

from dcim.models import Interface
from ipam.models import IPAddress

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


def test_a_device_with_a_primary_ip_gets_its_record(userscripts, userscript_log, commit_hooks, run_tasks, switch):
    userscripts.load(USERSCRIPTS / "dns_records.py")
    mgmt = Interface.objects.create(device=switch, name="mgmt0", type="1000base-t")

    with commit_hooks():
        switch.primary_ip4 = IPAddress.objects.create(address="10.1.0.11/24", assigned_object=mgmt)
        switch.save()
    [run] = run_tasks()

    assert run.status == "SUCCESSFUL", run.traceback
    assert run.return_value == "ams1-sw-01.demo.example A 10.1.0.11"
    assert "DNS: ams1-sw-01.demo.example A 10.1.0.11" in userscript_log("dns_records").infos


def test_a_device_without_one_queues_nothing(userscripts, commit_hooks, run_tasks, switch):
    userscripts.load(USERSCRIPTS / "dns_records.py")

    with commit_hooks():
        switch.status = "offline"
        switch.save()

    assert run_tasks() == []
