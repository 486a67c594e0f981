"""``manage.py loaddemo``: the demo data set, and ``--if-empty``."""
import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from circuits.models import Circuit, CircuitTermination
from dcim.models import Cable, ConsolePort, Device, Interface, Rack, Site
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
    # The spare management address the README's tour makes primary: on the same interface, free to take.
    spare = IPAddress.objects.get(address="10.1.0.100/24")
    assert spare.assigned_object == device.primary_ip4.assigned_object and spare.description
    assert not Device.objects.filter(primary_ip4=spare).exists()
    assert IPAddress.objects.filter(description=spare.description).count() == 5  # one per site
    assert device.consoleports.get().connected_endpoint.device.name == "ams1-cons-01"
    uplink = device.interfaces.get(name="xe-0/1/0")
    assert uplink.connected_endpoint.device.name == "ams1-core-rtr-01"
    # Sites 1 and 2 are joined by their patch panels: the routers' xe-0/0/4 reach each other through them.
    patched = Interface.objects.get(device__name="ams1-core-rtr-01", name="xe-0/0/4")
    assert patched.link_peers[0].device.name == "ams1-patch-01"
    assert patched.connected_endpoint == Interface.objects.get(device__name="ams2-core-rtr-01", name="xe-0/0/4")
    rack = Rack.objects.get(site__slug="ams1")
    assert rack.location.name == "Hall 1" and rack.devices.count() == 10
    assert rack.get_utilization() == 21.4  # 9 of 42 units; the PDU is 0U
    assert rack.get_power_utilization() == 59.4  # 14 power supplies x 250 W of 2 feeds x 2944 W
    assert device.rack == rack and device.position == 30 and device.face == "front"
    pdu = Device.objects.get(name="ams1-pdu-01")
    assert pdu.poweroutlets.count() == 24 and pdu.powerports.get().connected_endpoint.name == "PP1-A"
    assert Interface.objects.get(device__name="ams1-core-rtr-02", name="em0").mac_address == "02:00:00:01:00:02"
    assert Device.objects.get(name="ams1-cons-01").modulebays.count() == 2
    mgmt = Prefix.objects.get(prefix="10.1.0.0/24")
    assert mgmt.get_first_available_ip() == "10.1.0.3/24"
    vm = VirtualMachine.objects.get(name="ams1-vm-01")
    assert vm.site.slug == "ams1" and vm.primary_ip4.assigned_object.virtual_machine == vm
    assert VirtualMachine.objects.count() == 8 and VirtualMachine.objects.filter(tags__slug="monitored").count() == 8
    assert Device.objects.filter(tags__slug="core").count() == 10
    transit = Circuit.objects.get(cid="ZAYO-1001").termination_a
    assert transit.termination.slug == "ams1"
    assert [str(peer) for peer in transit.link_peers] == ["xe-0/0/4"]
    assert transit.link_peers[0].device.name == "ams1-core-rtr-02"
    assert vm.interfaces.get().mac_address == "52:54:00:01:00:01"
    assert Site.objects.get(slug="ams2").group.name == "Edge"
    servers = Prefix.objects.get(prefix="10.1.1.0/24")
    assert servers.role.slug == "servers" and [r.size for r in servers.get_child_ranges()] == [100]
    assert VLANGroup.objects.get(slug="ams1-vlans").get_next_available_vid() == 1
    assert Aggregate.objects.get(prefix="10.0.0.0/8").get_utilization() > 0
    for model in (Device, Interface, Cable, IPAddress, Prefix, IPRange, VLAN, VirtualMachine, VMInterface, Circuit,
                  CircuitTermination, ASN, Rack):
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
            except (ProtectedError, RestrictedError):
                continue
    loaddemo()
    assert sorted(Device.objects.values_list("name", "serial", "primary_ip4__address")) == first
