"""``userscripts_replay``: recorded changes replayed into one module's ``post_commit`` receivers, rolled back unless
``--commit``; bad input is one line and exit code 2."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from dcim.models import Device, Interface
from ipam.models import IPAddress
from netbox_userscripts.commits.replay import changes_from_json, replay
from netbox_userscripts.loading.registry import registry
from tests.api_data import make_site

pytestmark = pytest.mark.django_db(transaction=True)
PROJECT = Path(__file__).resolve().parent.parent
RECORDER = """
    from django.contrib.auth.models import Group
    from django.dispatch import receiver
    from dcim.models import Device
    from netbox_userscripts.signals import post_commit

    @receiver(post_commit, sender=Device)
    def record(sender, changes, **kwargs):
        for change in changes:
            Group.objects.create(name=f"pushed {change.instance} {change.action}")
            logger.info("recorded %s of %s", change.action, change.instance)
"""


@pytest.fixture
def addresses(userscripts):
    shutil.copy(PROJECT / "userscripts" / "push_config.py", userscripts.root / "push_config.py")
    shutil.copy(PROJECT / "userscripts" / "change_log.py", userscripts.root / "change_log.py")
    userscripts.write("recorder.py", RECORDER)
    userscripts.load()
    make_site(devices=1)
    interface = Interface.objects.create(device=Device.objects.get(), name="mgmt0", type="1000base-t")
    return [IPAddress.objects.create(address=a, assigned_object=interface).pk for a in ("10.1.0.11/24", "10.1.0.12/24")]


def changes_file(tmp_path, addresses, **extra):
    device = Device.objects.get()
    changes = [{"model": "dcim.device", "action": "update", "id": device.pk, **extra,
                "before": {"name": "sw0", "primary_ip4": addresses[0]},
                "after": {"name": "sw0", "primary_ip4": addresses[1], "site": device.site_id}}]
    path = tmp_path / "changes.json"
    path.write_text(json.dumps(changes))
    return path


def test_a_file_of_changes_is_replayed_into_push_config_and_rolled_back(addresses, userscripts, tmp_path, capsys):
    logged = userscripts.log.read_text()
    call_command("userscripts_replay", "push_config", "--file", str(changes_file(tmp_path, addresses)))
    out = capsys.readouterr().out
    assert "INFO     push config to sw0: primary IPv4 10.1.0.11/24 -> 10.1.0.12/24" in out
    assert "1 change replayed into push_config's post_commit receivers, 1 log lines; rolled back" in out
    assert userscripts.log.read_text() == logged  # a dry run's pushes did not happen: not in the central log


def test_writes_stand_only_with_commit(addresses, userscripts, tmp_path, capsys):
    path = str(changes_file(tmp_path, addresses))
    call_command("userscripts_replay", "recorder", "--file", path)
    assert "INFO     recorded update of sw0" in capsys.readouterr().out
    assert not Group.objects.exists()
    call_command("userscripts_replay", "recorder", "--file", path, "--commit")
    assert "committed." in capsys.readouterr().out
    assert list(Group.objects.values_list("name", flat=True)) == ["pushed sw0 update"]
    assert "INFO recorder.py: recorded update of sw0" in userscripts.log.read_text()


def test_netbox_change_log_records_as_its_api_gives_them_are_read(addresses, userscripts):
    device = Device.objects.get()
    page = {"results": [
        {"id": 7, "changed_object_type": "dcim.device", "changed_object_id": device.pk, "action": {"value": "update"},
         "request_id": "r1", "prechange_data": {"name": "sw0", "primary_ip4": None},
         "postchange_data": {"name": "sw0", "primary_ip4": addresses[0]}},
        {"id": 8, "changed_object_type": "dcim.device", "changed_object_id": device.pk, "action": {"value": "update"},
         "request_id": "r1", "prechange_data": {"name": "sw0", "primary_ip4": addresses[0]},
         "postchange_data": {"name": "sw0", "primary_ip4": addresses[1]}},
    ]}
    records = replay(registry.get("push_config"), changes_from_json(page))
    # one request, one transaction: its two updates of the device coalesced into one push, as a commit sends them
    assert [r.getMessage() for r in records] == ["push config to sw0: primary IPv4 none -> 10.1.0.12/24"]


@pytest.mark.parametrize("arguments, message", [
    (["nope", "--file", "{file}"], "no userscript 'nope' in"),
    (["change_log", "--file", "{file}"], "change_log has no post_commit receiver"),
    (["push_config", "--since", "2h"], "read NetBox's change log, which this project does not have"),
    (["push_config", "--file", "{missing}"], "cannot read --file"),
])
def test_bad_input_is_one_line(addresses, tmp_path, arguments, message):
    values = {"file": str(changes_file(tmp_path, addresses)), "missing": str(tmp_path / "none.json")}
    with pytest.raises(CommandError, match=message) as raised:
        call_command("userscripts_replay", *[a.format(**values) for a in arguments])
    assert raised.value.returncode == 2


@pytest.mark.parametrize("changes, message", [
    ("{not json", "is not JSON"),
    ('{"a": 1}', "must be a JSON list of changes"),
    ('[{"model": "dcim.nope", "action": "update"}]', "change 1: model 'dcim.nope' is not a model of this project"),
    ('[{"model": "dcim.device", "action": "edit", "after": {}}]', "change 1: action must be one of create, update"),
    ('[{"model": "dcim.device", "action": "update", "after": {}}]', "change 1: an update needs before"),
    ('[{"model": "dcim.device", "action": "create", "after": [1]}]', "change 1: after must be an object"),
])
def test_malformed_changes_are_named(addresses, tmp_path, changes, message):
    path = tmp_path / "changes.json"
    path.write_text(changes)
    with pytest.raises(CommandError, match=message):
        call_command("userscripts_replay", "push_config", "--file", str(path))


def test_the_command_line_says_one_line_and_exits_2(tmp_path):
    """Through ``python -m netbox_userscripts replay``: no traceback for a bad --since."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-m", "netbox_userscripts", "replay", "push_config", "--since", "yesterday"],
                          env=env, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "CommandError: userscripts_replay: --since 'yesterday' is not a duration: give a number and a unit, "
        "such as 30m, 2h, 1d or 1w."]
