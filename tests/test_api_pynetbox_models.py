"""pynetbox, unchanged, reads and writes a record of each endpoint of tags, ipam, virtualization and circuits."""
import pynetbox
import pytest
from pynetbox.core.query import AllocationError

from circuits.models import Circuit, CircuitTermination
from dcim.models import DeviceRole, Site
from extras.models import Tag
from ipam.models import IPAddress, IPRange, Prefix, VLANGroup
from virtualization.models import VirtualMachine, VMInterface

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nb(live_server, superuser, token_for):
    return pynetbox.api(live_server.url, token=token_for(superuser))


def test_tags(nb):
    tag = nb.extras.tags.create(name="Core", slug="core", color="f44336")
    site = nb.dcim.sites.create(name="DC1", slug="dc1", tags=[tag.id])
    assert [t.slug for t in nb.dcim.sites.get(site.id).tags] == ["core"]
    nb.extras.tags.create(name="Edge", slug="edge")
    site = nb.dcim.sites.get(site.id)
    site.tags.append({"name": "Edge"})
    assert site.save() is True
    assert sorted(t.slug for t in Site.objects.get().tags.all()) == ["core", "edge"]
    assert [s.name for s in nb.dcim.sites.filter(tag=["core", "edge"])] == ["DC1"]
    tag = nb.extras.tags.get(slug="edge")
    tag.color = "00ff00"
    assert tag.save() and Tag.objects.get(slug="edge").color == "00ff00"


def test_ipam(nb):
    rir = nb.ipam.rirs.create(name="RFC 1918", slug="rfc1918", is_private=True)
    aggregate = nb.ipam.aggregates.create(prefix="10.0.0.0/8", rir=rir.id)
    assert nb.ipam.aggregates.get(aggregate.id).rir.slug == "rfc1918"
    role = nb.ipam.roles.create(name="Servers", slug="servers", weight=10)
    site = nb.dcim.sites.create(name="DC1", slug="dc1")
    prefix = nb.ipam.prefixes.create(prefix="10.1.0.0/24", role=role.id, scope_type="dcim.site", scope_id=site.id)
    prefix = nb.ipam.prefixes.get(prefix.id)
    assert prefix.scope.slug == "dc1" and prefix.scope_type == "dcim.site" and prefix.role.slug == "servers"
    assert Prefix.objects.get()._site_id == site.id
    assert [p.prefix for p in nb.ipam.prefixes.filter(site_id=site.id)] == ["10.1.0.0/24"]
    ip_range = nb.ipam.ip_ranges.create(start_address="10.1.0.10/24", end_address="10.1.0.20/24", role=role.id)
    ip_range = nb.ipam.ip_ranges.get(ip_range.id)
    assert ip_range.size == 11 and ip_range.family.value == 4
    ip_range.end_address = "10.1.0.30/24"
    assert ip_range.save() and IPRange.objects.get().size == 21
    assert [r.id for r in nb.ipam.ip_ranges.filter(parent="10.1.0.0/24")] == [ip_range.id]
    group = nb.ipam.vlan_groups.create(name="DC1", slug="dc1", scope_type="dcim.site", scope_id=site.id,
                                       vid_ranges=[[100, 199]])
    assert nb.ipam.vlan_groups.get(group.id).vid_ranges == [[100, 199]]
    assert VLANGroup.objects.get().scope == Site.objects.get()
    vlan = nb.ipam.vlans.create(group=group.id, vid=100, name="users", site=site.id)
    assert nb.ipam.vlans.get(vlan.id).group.slug == "dc1"
    with pytest.raises(pynetbox.RequestError) as error:
        nb.ipam.vlans.create(group=group.id, vid=300, name="x")
    assert "vid" in error.value.error
    asn = nb.ipam.asns.create(asn=65001, rir=rir.id, sites=[site.id])
    assert nb.ipam.asns.get(asn.id).sites[0].slug == "dc1"
    assert nb.ipam.asns.count(site_id=site.id) == 1


def test_virtualization_vm_with_interface_and_ip(nb):
    site = nb.dcim.sites.create(name="DC1", slug="dc1")
    cluster_type = nb.virtualization.cluster_types.create(name="Proxmox", slug="proxmox")
    cluster_group = nb.virtualization.cluster_groups.create(name="Prod", slug="prod")
    cluster = nb.virtualization.clusters.create(name="pve1", type=cluster_type.id, group=cluster_group.id,
                                                scope_type="dcim.site", scope_id=site.id)
    assert nb.virtualization.clusters.get(cluster.id).scope.name == "DC1"
    role = nb.dcim.device_roles.create(name="Server", slug="server", vm_role=True)
    vm = nb.virtualization.virtual_machines.create(name="web1", cluster=cluster.id, role=role.id, vcpus=2,
                                                   memory=4096, disk=20000, status="planned")
    assert VirtualMachine.objects.get().site_id == site.id  # from its cluster
    interface = nb.virtualization.interfaces.create(virtual_machine=vm.id, name="eth0", mtu=1500)
    ip = nb.ipam.ip_addresses.create(address="10.1.0.5/24", assigned_object_type="virtualization.vminterface",
                                     assigned_object_id=interface.id)
    assert nb.ipam.ip_addresses.get(ip.id).assigned_object.virtual_machine.name == "web1"
    vm = nb.virtualization.virtual_machines.get(vm.id)
    vm.primary_ip4 = ip.id
    vm.status = "active"
    assert vm.save()
    vm = nb.virtualization.virtual_machines.get(name="web1")
    assert vm.primary_ip4.address == "10.1.0.5/24" and vm.primary_ip.address == "10.1.0.5/24"
    assert float(vm.vcpus) == 2 and vm.status.value == "active"
    assert [i.name for i in nb.virtualization.interfaces.filter(virtual_machine_id=vm.id)] == ["eth0"]
    assert [v.name for v in nb.virtualization.virtual_machines.filter(has_primary_ip=True)] == ["web1"]
    assert {"value": "paused", "display_name": "Paused"} in nb.virtualization.virtual_machines.choices()["status"]
    assert [a.address for a in nb.ipam.ip_addresses.filter(virtual_machine_id=vm.id)] == ["10.1.0.5/24"]
    assert IPAddress.objects.get().assigned_object == VMInterface.objects.get()
    nb.virtualization.interfaces.update([{"id": interface.id, "enabled": False}])
    assert VMInterface.objects.get().enabled is False
    # A MAC address on the VM's interface, made its primary one (NetBox 4.2+).
    mac = nb.dcim.mac_addresses.create(mac_address="52:54:00:00:00:01",
                                       assigned_object_type="virtualization.vminterface",
                                       assigned_object_id=interface.id)
    assert mac.assigned_object.name == "eth0" and mac.assigned_object.virtual_machine.name == "web1"
    interface = nb.virtualization.interfaces.get(interface.id)
    interface.primary_mac_address = mac.id
    assert interface.save()
    interface = nb.virtualization.interfaces.get(interface.id)
    assert interface.mac_address == "52:54:00:00:00:01" and [m.id for m in interface.mac_addresses] == [mac.id]
    assert [m.id for m in nb.dcim.mac_addresses.filter(vminterface_id=interface.id)] == [mac.id]
    assert [m.id for m in nb.dcim.mac_addresses.filter(virtual_machine_id=vm.id)] == [mac.id]
    assert [i.id for i in nb.virtualization.interfaces.filter(mac_address="52:54:00:00:00:01")] == [interface.id]
    with pytest.raises(pynetbox.RequestError) as error:  # someone else's MAC cannot be this one's primary
        other = nb.dcim.mac_addresses.create(mac_address="52:54:00:00:00:02",
                                             assigned_object_type="virtualization.vminterface",
                                             assigned_object_id=nb.virtualization.interfaces.create(
                                                 virtual_machine=vm.id, name="eth1").id)
        nb.virtualization.interfaces.get(interface.id).update({"primary_mac_address": other.id})
    assert "primary_mac_address" in error.value.error
    assert VMInterface.objects.get(name="eth0").primary_mac_address.mac_address == "52:54:00:00:00:01"
    with pytest.raises(pynetbox.RequestError):
        nb.virtualization.virtual_machines.create(name="web1", cluster=cluster.id)
    assert DeviceRole.objects.count() == 1


def test_circuits(nb):
    site = nb.dcim.sites.create(name="DC1", slug="dc1")
    provider = nb.circuits.providers.create(name="Lumen", slug="lumen")
    circuit_type = nb.circuits.circuit_types.create(name="Transit", slug="transit", color="2196f3")
    circuit = nb.circuits.circuits.create(cid="LUM-1", provider=provider.id, type=circuit_type.id,
                                          commit_rate=1000000, status="planned")
    end = nb.circuits.circuit_terminations.create(circuit=circuit.id, term_side="A", termination_type="dcim.site",
                                                  termination_id=site.id, port_speed=10000000)
    end = nb.circuits.circuit_terminations.get(end.id)
    assert end.termination.slug == "dc1" and end.term_side.value == "A" and end.circuit.cid == "LUM-1"
    assert {"value": "Z", "display_name": "Z"} in nb.circuits.circuit_terminations.choices()["term_side"]
    circuit = nb.circuits.circuits.get(cid="LUM-1")
    assert circuit.termination_a.id == end.id and circuit.termination_z is None
    assert circuit.provider.slug == "lumen" and circuit.commit_rate == 1000000
    circuit.status = "active"
    assert circuit.save() and Circuit.objects.get().status == "active"
    assert [c.cid for c in nb.circuits.circuits.filter(site_id=site.id)] == ["LUM-1"]
    with pytest.raises(pynetbox.RequestError) as error:
        nb.circuits.circuit_terminations.create(circuit=circuit.id, term_side="A")
    assert error.value.req.status_code == 400
    account = nb.circuits.provider_accounts.create(provider=provider.id, account="ACC-1", name="Main")
    circuit.provider_account = account.id
    assert circuit.save() and Circuit.objects.get().provider_account.account == "ACC-1"
    network = nb.circuits.provider_networks.create(provider=provider.id, name="Lumen MPLS", service_id="S1")
    z_end = nb.circuits.circuit_terminations.create(circuit=circuit.id, term_side="Z",
                                                    termination_type="circuits.providernetwork",
                                                    termination_id=network.id)
    assert nb.circuits.circuit_terminations.get(z_end.id).termination.name == "Lumen MPLS"
    assert [t.term_side.value for t in nb.circuits.circuit_terminations.filter(provider_network_id=network.id)] == ["Z"]
    assert CircuitTermination.objects.count() == 2


def test_available_ips_and_prefixes(nb):
    vrf = nb.ipam.vrfs.create(name="blue")
    prefix = nb.ipam.prefixes.create(prefix="10.8.0.0/29", vrf=vrf.id)
    nb.ipam.ip_addresses.create(address="10.8.0.1/29", vrf=vrf.id)
    free = prefix.available_ips.list()
    assert [ip.address for ip in free] == [f"10.8.0.{n}/29" for n in range(2, 7)] and free[0].vrf.name == "blue"
    made = prefix.available_ips.create({"description": "first free", "status": "reserved"})
    assert made.address == "10.8.0.2/29" and IPAddress.objects.get(address="10.8.0.2/29").status == "reserved"
    made = prefix.available_ips.create([{}, {"dns_name": "b.example"}])
    assert [ip.address for ip in made] == ["10.8.0.3/29", "10.8.0.4/29"]
    assert IPAddress.objects.filter(vrf__name="blue").count() == 4
    with pytest.raises(AllocationError) as error:
        prefix.available_ips.create([{}, {}, {}])  # two left: none made
    assert error.value.req.status_code == 409 and IPAddress.objects.count() == 4
    ip_range = nb.ipam.ip_ranges.create(start_address="10.9.0.10/24", end_address="10.9.0.12/24")
    assert [ip.address for ip in ip_range.available_ips.list()] == ["10.9.0.10/24", "10.9.0.11/24", "10.9.0.12/24"]
    assert ip_range.available_ips.create({}).address == "10.9.0.10/24"
    parent = nb.ipam.prefixes.create(prefix="10.20.0.0/16", status="container")
    nb.ipam.prefixes.create(prefix="10.20.0.0/24")
    assert [p.prefix for p in parent.available_prefixes.list()][:2] == ["10.20.1.0/24", "10.20.2.0/23"]
    child = parent.available_prefixes.create({"prefix_length": 26, "description": "new"})
    assert child.prefix == "10.20.1.0/26" and Prefix.objects.get(prefix="10.20.1.0/26").description == "new"
    with pytest.raises(pynetbox.RequestError) as error:
        parent.available_prefixes.create({"prefix_length": 8})
    assert error.value.req.status_code == 400 and "prefix_length" in error.value.error


def test_available_vlans(nb):
    group = nb.ipam.vlan_groups.create(name="G", slug="g", vid_ranges=[[10, 12]])
    nb.ipam.vlans.create(group=group.id, vid=10, name="ten")
    assert [v.vid for v in group.available_vlans.list()] == [11, 12]
    vlan = group.available_vlans.create({"name": "users", "status": "reserved"})
    assert vlan.vid == 11 and vlan.group.slug == "g" and vlan.status.value == "reserved"
    with pytest.raises(AllocationError):
        group.available_vlans.create([{"name": "a"}, {"name": "b"}])
    assert sorted(VLANGroup.objects.get().vlans.values_list("vid", flat=True)) == [10, 11]
