"""The shipped ``userscripts/push_config.py``: a push only for a committed change of the primary IP."""
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from dcim.models import Device, Interface
from ipam.models import IPAddress
from netbox_userscripts.hooks.context import host_branching
from tests.api_data import client_for, make_site

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parent.parent / "userscripts" / "push_config.py"


@pytest.fixture
def device(userscripts):
    shutil.copy(EXAMPLE, userscripts.root / "push_config.py")
    userscripts.load()
    make_site(devices=1)
    device = Device.objects.get()
    interface = Interface.objects.create(device=device, name="mgmt0", type="1000base-t")
    for address in ("10.1.0.11/24", "10.1.0.12/24"):
        IPAddress.objects.create(address=address, assigned_object=interface)
    device.primary_ip4 = IPAddress.objects.get(address="10.1.0.11/24")
    device.save()
    return device


def test_an_api_change_of_the_primary_ip_is_pushed_once_committed(device, userscripts, superuser, token_for):
    api = client_for(superuser, token_for)
    new = IPAddress.objects.get(address="10.1.0.12/24")
    assert api.patch(f"/api/dcim/devices/{device.pk}/", {"primary_ip4": new.pk}, format="json").status_code == 200
    assert api.patch(f"/api/dcim/devices/{device.pk}/", {"status": "offline"}, format="json").status_code == 200
    lines = [line for line in userscripts.log.read_text().splitlines() if "push_config.py" in line]
    assert len(lines) == 2, lines  # the first primary IP (set in the fixture), then this change; not the status
    assert lines[-1].endswith("INFO push_config.py: push config to sw0: primary IPv4 10.1.0.11/24 -> 10.1.0.12/24")


def test_a_change_that_fails_is_not_pushed(device, userscripts, superuser, token_for):
    api = client_for(superuser, token_for)
    new = IPAddress.objects.get(address="10.1.0.12/24")
    pushed = userscripts.log.read_text().count("push config")
    answer = api.patch("/api/dcim/devices/", [{"id": device.pk, "primary_ip4": new.pk},
                                              {"id": 999999, "status": "offline"}], format="json")
    assert answer.status_code == 400
    assert userscripts.log.read_text().count("push config") == pushed
    assert Device.objects.get().primary_ip4.address.ip.format() == "10.1.0.11"


@pytest.mark.parametrize("branch, kind, pushed", [("maint-42", None, 0), ("maint-42", "sync", 0),
                                                   (None, "merge", 1), (None, "revert", 1)])
def test_only_live_changes_are_pushed_with_branches(device, userscripts, branch, kind, pushed):
    """As NetBox's branching adapter answers: a branch edit or a sync is not live, a merge or a revert is."""
    before = userscripts.log.read_text().count("push config")
    host_branching.branch = lambda: branch and SimpleNamespace(name=branch)
    host_branching.origin = lambda: kind and SimpleNamespace(kind=kind, branch=SimpleNamespace(name="maint-42"))
    try:
        device.primary_ip4 = IPAddress.objects.get(address="10.1.0.12/24")
        device.save()
    finally:
        host_branching.branch = host_branching.origin = None
    assert userscripts.log.read_text().count("push config") == before + pushed
