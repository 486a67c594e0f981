"""NetBox custom scripts in the documented style (``from extras.scripts import *``) on ipam ranges and VMs.

Each script is written, unchanged from how a NetBox user writes it, into a temporary
userscripts folder and run through ``manage.py runjob``, on SQLite and PostgreSQL.
"""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dcim.models import DeviceRole, MACAddress, Site
from extras.models import Tag
from ipam.models import IPAddress, IPRange, Prefix
from virtualization.models import Cluster, ClusterType, VirtualMachine

RENUMBER = '''
import netaddr

from extras.scripts import *
from ipam.models import IPAddress, IPRange, Prefix


class RenumberRange(Script):

    class Meta:
        name = "Renumber an IP range"
        description = "Move a range and every address in it to a new first address"
        commit_default = False

    ip_range = ObjectVar(model=IPRange, description="The range to move")
    new_start = IPAddressWithMaskVar(description="Its new first address, with mask")

    def run(self, data, commit):
        ip_range = data["ip_range"]
        new_start = data["new_start"]
        offset = int(new_start.ip) - int(ip_range.start_address.ip)
        mask = new_start.prefixlen
        parent = Prefix.objects.filter(prefix__net_contains_or_equals=f"{new_start.ip}/{mask}").last()
        if parent is None:
            raise AbortScript(f"No prefix holds {new_start}")
        moved = []
        for ip in ip_range.get_child_ips().order_by("address"):
            ip.snapshot()
            ip.address = netaddr.IPNetwork(f"{netaddr.IPAddress(int(ip.address.ip) + offset)}/{mask}")
            ip.full_clean()
            ip.save()
            moved.append(ip)
            self.log_success(f"Moved to {ip}", obj=ip)
        ip_range.snapshot()
        ip_range.start_address = netaddr.IPNetwork(f"{new_start.ip}/{mask}")
        ip_range.end_address = netaddr.IPNetwork(f"{netaddr.IPAddress(int(ip_range.end_address.ip) + offset)}/{mask}")
        ip_range.full_clean()
        ip_range.save()
        self.log_info(f"{ip_range} in {parent}: {ip_range.utilization:.0f}% used, "
                      f"{parent.get_utilization():.0f}% of the prefix")
        return "\\n".join(str(ip.address) for ip in moved)
'''

NEW_VM = '''
from dcim.models import DeviceRole, MACAddress
from extras.models import Tag
from extras.scripts import *
from ipam.choices import IPAddressStatusChoices
from ipam.models import IPAddress, Prefix
from virtualization.choices import VirtualMachineStatusChoices
from virtualization.models import Cluster, VirtualMachine, VMInterface


class NewVirtualMachine(Script):

    class Meta:
        name = "New virtual machine"
        description = "A VM with one interface and its MAC, an address from a prefix as its primary IP, and tags"
        field_order = ["vm_name", "cluster", "role", "prefix", "mac_address", "tags"]

    vm_name = StringVar(label="Name", regex="^[a-z0-9-]+$")
    cluster = ObjectVar(model=Cluster)
    role = ObjectVar(model=DeviceRole, query_params={"vm_role": True})
    prefix = ObjectVar(model=Prefix, description="Where its address comes from")
    vcpus = IntegerVar(min_value=1, default=2)
    mac_address = StringVar(label="MAC address", required=False)
    tags = MultiObjectVar(model=Tag, required=False)

    def run(self, data, commit):
        vm = VirtualMachine(name=data["vm_name"], cluster=data["cluster"], role=data["role"],
                            status=VirtualMachineStatusChoices.STATUS_PLANNED, vcpus=data["vcpus"], memory=4096)
        vm.full_clean()
        vm.save()
        vm.tags.set(data["tags"])
        interface = VMInterface(virtual_machine=vm, name="eth0", mtu=1500)
        interface.full_clean()
        interface.save()
        if data["mac_address"]:
            mac = MACAddress(mac_address=data["mac_address"], assigned_object=interface)
            mac.full_clean()
            mac.save()
            interface.primary_mac_address = mac
            interface.full_clean()
            interface.save()
        address = data["prefix"].get_first_available_ip()
        if address is None:
            raise AbortScript(f"{data['prefix']} is full")
        ip = IPAddress(address=address, assigned_object=interface, status=IPAddressStatusChoices.STATUS_ACTIVE,
                       dns_name=f"{vm.name}.example.com")
        ip.full_clean()
        ip.save()
        ip.tags.add(*data["tags"])
        vm.primary_ip4 = ip
        vm.full_clean()
        vm.save()
        self.log_success(f"Created {vm} on {vm.cluster} with {ip}", obj=vm)
        tags = ",".join(t.slug for t in vm.tags.all())
        return f"{vm.name},{interface.name},{interface.mac_address},{ip.address},{tags}"
'''


def runjob(*args):
    out = io.StringIO()
    try:
        call_command("runjob", *args, stdout=out, stderr=io.StringIO(), no_color=True)
        return 0, out.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)


@pytest.fixture
def scripts(userscripts, db):
    userscripts.load_module("renumber", RENUMBER)
    userscripts.load_module("new_vm", NEW_VM)


def test_ip_range_renumbering(scripts):
    Prefix.objects.create(prefix="10.1.0.0/24")
    Prefix.objects.create(prefix="10.2.0.0/24")
    ip_range = IPRange.objects.create(start_address="10.1.0.10/24", end_address="10.1.0.19/24")
    for host in (10, 12, 19):
        IPAddress.objects.create(address=f"10.1.0.{host}/24")
    IPAddress.objects.create(address="10.1.0.50/24")  # outside the range: stays
    code, out = runjob("--commit", "--data", json.dumps({"ip_range": ip_range.pk, "new_start": "10.2.0.100/24"}),
                       "local/renumber/RenumberRange")
    assert code == 0, out
    assert "10.2.0.100/24\n10.2.0.102/24\n10.2.0.109/24" in out and "30% used" in out
    ip_range.refresh_from_db()
    assert (str(ip_range.start_address), str(ip_range.end_address), ip_range.size) == ("10.2.0.100/24",
                                                                                        "10.2.0.109/24", 10)
    assert sorted(str(ip) for ip in IPAddress.objects.all()) == ["10.1.0.50/24", "10.2.0.100/24", "10.2.0.102/24",
                                                                 "10.2.0.109/24"]
    code, out = runjob("--data", json.dumps({"ip_range": ip_range.pk, "new_start": "192.0.2.1/24"}),
                       "local/renumber/RenumberRange")
    assert code == 1 and "No prefix holds 192.0.2.1/24" in out


def test_vm_creation_with_interface_mac_ip_and_tags(scripts):
    site = Site.objects.create(name="DC1", slug="dc1")
    cluster = Cluster.objects.create(name="pve1", type=ClusterType.objects.create(name="Proxmox", slug="proxmox"),
                                     scope=site)
    DeviceRole.objects.create(name="Server", slug="server", vm_role=True)
    DeviceRole.objects.create(name="Switch", slug="switch", vm_role=False)
    Prefix.objects.create(prefix="10.3.0.0/24", scope=site)
    IPAddress.objects.create(address="10.3.0.1/24")
    tags = [Tag.objects.create(name=name, slug=name) for name in ("web", "prod")]
    data = {"vm_name": "web-1", "cluster": {"name": "pve1"}, "role": {"slug": "server"},
            "prefix": {"prefix": "10.3.0.0/24"}, "mac_address": "52-54-00-ab-cd-01", "tags": [t.pk for t in tags]}
    # A MAC address that is not one: the whole run is rolled back, the field named.
    code, out = runjob("--commit", "--data", json.dumps({**data, "mac_address": "52:54:00:zz"}),
                       "local/new_vm/NewVirtualMachine")
    assert code == 1 and "'52:54:00:zz' is not a valid MAC address" in out
    assert not VirtualMachine.objects.exists() and not MACAddress.objects.exists()
    code, out = runjob("--commit", "--data", json.dumps(data), "local/new_vm/NewVirtualMachine")
    assert code == 0, out
    assert "web-1,eth0,52:54:00:AB:CD:01,10.3.0.2/24,prod,web" in out
    vm = VirtualMachine.objects.get(name="web-1")
    interface = vm.interfaces.get()
    assert interface.primary_mac_address == MACAddress.objects.get(vminterface__virtual_machine=vm)
    assert list(interface.mac_addresses.values_list("mac_address", flat=True)) == ["52:54:00:AB:CD:01"]
    assert (vm.cluster, vm.site, str(vm.primary_ip4), vm.vcpus) == (cluster, site, "10.3.0.2/24", 2)
    assert vm.primary_ip4.assigned_object.virtual_machine == vm
    assert sorted(t.slug for t in vm.primary_ip4.tags.all()) == ["prod", "web"]
    assert list(VirtualMachine.objects.filter(tags__slug="web")) == [vm]
    # The role must be one for VMs (query_params), and the VM name unique in its cluster.
    code, out = runjob("--data", json.dumps({**data, "role": {"slug": "switch"}}), "local/new_vm/NewVirtualMachine")
    assert code == 2 and "role" in out
    code, out = runjob("--commit", "--data", json.dumps(data), "local/new_vm/NewVirtualMachine")
    assert code == 1 and "already exists" in out
    assert VirtualMachine.objects.count() == 1
