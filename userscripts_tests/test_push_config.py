"""A post_commit recipe: push_config.py pushes a device once a change of its primary IP is committed."""
from pathlib import Path

from dcim.models import Device, Interface
from ipam.models import IPAddress

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


def test_a_new_primary_ip_is_pushed_once_committed(userscripts, userscript_log, commit_hooks, switch):
    userscripts.load(USERSCRIPTS / "push_config.py")
    mgmt = Interface.objects.create(device=switch, name="mgmt0", type="1000base-t")
    old = IPAddress.objects.create(address="10.1.0.11/24", assigned_object=mgmt)
    new = IPAddress.objects.create(address="10.1.0.12/24", assigned_object=mgmt)
    switch.primary_ip4 = old
    switch.save()

    with commit_hooks() as sent:  # its end is the commit: post_commit is sent for the writes inside
        switch.primary_ip4 = new
        switch.save()

    [change] = sent.changes(Device)
    assert change.action == "update" and "primary_ip4" in change.changed
    assert (change.before["primary_ip4"], change.after["primary_ip4"]) == (old.pk, new.pk)
    assert userscript_log("push_config").infos == [
        "push config to ams1-sw-01: primary IPv4 10.1.0.11/24 -> 10.1.0.12/24"]


def test_a_status_change_pushes_nothing(userscripts, userscript_log, commit_hooks, switch):
    userscripts.load(USERSCRIPTS / "push_config.py")

    with commit_hooks() as sent:
        switch.status = "offline"
        switch.save()

    assert "status" in sent.changes(Device)[0].changed
    assert userscript_log("push_config").infos == []


def test_nothing_is_sent_without_a_commit(userscripts, userscript_log, switch):
    """Without commit_hooks the test's transaction never commits: as a failed request, nothing is pushed."""
    userscripts.load(USERSCRIPTS / "push_config.py")
    mgmt = Interface.objects.create(device=switch, name="mgmt0", type="1000base-t")
    switch.primary_ip4 = IPAddress.objects.create(address="10.1.0.11/24", assigned_object=mgmt)
    switch.save()

    assert userscript_log("push_config").records == []
