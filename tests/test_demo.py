"""``manage.py loaddemo``: the demo data set, and ``--if-empty``."""
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError

from circuits.models import Circuit, CircuitTermination
from dcim.models import Cable, ConsolePort, Device, Interface, Site
from ipam.models import ASN, VLAN, Aggregate, IPAddress, IPRange, Prefix, VLANGroup
from virtualization.models import VirtualMachine, VMInterface

pytestmark = pytest.mark.django_db


def loaddemo(*args):
    out = io.StringIO()
    call_command("loaddemo", *args, stdout=out)
    return out.getvalue()


def test_loaddemo_creates_a_cabled_network():
    output = loaddemo()
    assert "Loaded the demo data: " in output and "50 devices" in output
    assert Site.objects.count() == 5
    assert Device.objects.count() == 50
    assert Interface.objects.count() > 150
    assert Cable.objects.count() > 100
    device = Device.objects.get(name="ams1-edge-sw-01")
    assert device.primary_ip4 is not None and device.primary_ip4.assigned_device_id == device.pk
    assert device.consoleports.get().connected_endpoint.device.name == "ams1-cons-01"
    uplink = device.interfaces.get(name="xe-0/1/0")
    assert uplink.connected_endpoint.device.name == "ams1-core-rtr-01"
    mgmt = Prefix.objects.get(prefix="10.1.0.0/24")
    assert mgmt.get_first_available_ip() == "10.1.0.3/24"
    vm = VirtualMachine.objects.get(name="ams1-vm-01")
    assert vm.site.slug == "ams1" and vm.primary_ip4.assigned_object.virtual_machine == vm
    assert VirtualMachine.objects.count() == 8 and VirtualMachine.objects.filter(tags__slug="monitored").count() == 8
    assert Device.objects.filter(tags__slug="core").count() == 10
    assert Circuit.objects.get(cid="ZAYO-1001").termination_a.termination.slug == "ams1"
    servers = Prefix.objects.get(prefix="10.1.1.0/24")
    assert servers.role.slug == "servers" and [r.size for r in servers.get_child_ranges()] == [100]
    assert VLANGroup.objects.get(slug="ams1-vlans").get_next_available_vid() == 1
    assert Aggregate.objects.get(prefix="10.0.0.0/8").get_utilization() > 0
    for model in (Device, Interface, Cable, IPAddress, Prefix, IPRange, VLAN, VirtualMachine, VMInterface, Circuit,
                  CircuitTermination, ASN):
        for obj in model.objects.all()[:20]:
            obj.full_clean()


def test_second_run_with_if_empty_creates_nothing():
    loaddemo("--if-empty")
    counts = [m.objects.count() for m in (Site, Device, ConsolePort, Cable, IPAddress)]
    assert "already has sites" in loaddemo("--if-empty")
    assert [m.objects.count() for m in (Site, Device, ConsolePort, Cable, IPAddress)] == counts


def test_second_run_without_if_empty_is_refused():
    loaddemo()
    with pytest.raises(CommandError, match="already loaded"):
        loaddemo()
    assert Device.objects.count() == 50


def test_loaddemo_is_deterministic():
    loaddemo()
    first = sorted(Device.objects.values_list("name", "serial", "primary_ip4__address"))
    Cable.objects.all().delete()
    for model in (IPAddress, Device):
        model.objects.all().delete()
    pending = [model for label in ("circuits", "virtualization", "ipam", "dcim", "tenancy", "extras")
               for model in apps.get_app_config(label).get_models()]
    while pending:  # in whatever order the protected foreign keys allow
        for model in list(pending):
            try:
                with transaction.atomic():
                    model.objects.all().delete()
                pending.remove(model)
            except ProtectedError:
                continue
    loaddemo()
    assert sorted(Device.objects.values_list("name", "serial", "primary_ip4__address")) == first
