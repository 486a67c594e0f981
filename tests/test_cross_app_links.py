"""The links between dcim, virtualization and circuits, as NetBox 4.7 has them.

Site groups and the cached scope fields (``_location``, ``_site``, ``_site_group``,
``_region``) of prefixes, clusters and circuit terminations; ``Device.cluster`` and the
rules a VM's host follows; a circuit termination as a cable end, with paths traced across
the circuit; a VM interface's MAC addresses. Through the models, the REST API (pynetbox,
unchanged) and a NetBox-style script run by ``runjob``.
"""
import io
import json

import pynetbox
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from circuits.models import Circuit, CircuitTermination, CircuitType, Provider, ProviderNetwork
from dcim.models import (
    Cable,
    CableTermination,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    Location,
    MACAddress,
    Manufacturer,
    Region,
    Site,
    SiteGroup,
)
from ipam.models import Prefix
from tests.api_data import client_for, grant
from virtualization.models import Cluster, ClusterType, VirtualMachine


@pytest.fixture
def places(db):
    region = Region.objects.create(name="EU", slug="eu")
    group = SiteGroup.objects.create(name="Data centres", slug="dc")
    site = Site.objects.create(name="DC1", slug="dc1", region=region, group=group)
    room = Location.objects.create(site=site, name="Room 1", slug="room-1")
    return region, group, site, room


@pytest.fixture
def device(places):
    site = places[2]
    maker = Manufacturer.objects.create(name="Cisco", slug="cisco")
    device_type = DeviceType.objects.create(manufacturer=maker, model="C9300", slug="c9300")
    role = DeviceRole.objects.create(name="Router", slug="router")
    return lambda name, **kw: Device.objects.create(name=name, site=site, device_type=device_type, role=role, **kw)


def cluster_at(scope, name="pve1"):
    cluster_type, _ = ClusterType.objects.get_or_create(name="Proxmox", slug="proxmox")
    return Cluster.objects.create(name=name, type=cluster_type, scope=scope)


# Site groups and cached scopes ---------------------------------------------------------------

def test_scopes_cache_location_site_group_and_region(places):
    region, group, site, room = places
    for scope, expected in ((room, (room, site, group, region)), (site, (None, site, group, region)),
                            (group, (None, None, group, None)), (region, (None, None, None, region))):
        prefix = Prefix.objects.create(prefix="10.0.0.0/24", scope=scope)
        cluster = cluster_at(scope)
        for obj in (prefix, cluster):
            assert (obj._location, obj._site, obj._site_group, obj._region) == expected, (obj, scope)
        prefix.delete()
        cluster.delete()
    prefix = Prefix.objects.create(prefix="10.1.0.0/24", scope=room)
    assert list(Prefix.objects.filter(_site_group=group)) == [prefix]
    # Deleting the site group a prefix only falls under leaves the prefix, with nothing cached.
    group.delete()
    prefix.refresh_from_db()
    assert prefix._site_group is None and prefix._location == room


def test_site_group_tree_and_rules(places):
    group = places[1]
    child = SiteGroup.objects.create(name="Edge", slug="edge", parent=group)
    assert list(group.get_descendants()) == [child]
    group.parent = child
    with pytest.raises(ValidationError, match="cannot be its own parent"):
        group.full_clean()


# Device.cluster and a VM's host -------------------------------------------------------------

def test_device_cluster_must_be_at_its_site_and_location(places, device):
    region, group, site, room = places
    host = device("hv1", cluster=cluster_at(site))
    assert list(host.cluster.devices.all()) == [host]
    other_site = Site.objects.create(name="DC2", slug="dc2")
    with pytest.raises(ValidationError, match=r"different site \(DC2\)"):
        Device(name="hv2", site=site, device_type=host.device_type, role=host.role,
               cluster=cluster_at(other_site, "pve2")).full_clean()
    with pytest.raises(ValidationError, match=r"different location \(Room 1\)"):
        Device(name="hv3", site=site, device_type=host.device_type, role=host.role,
               cluster=cluster_at(room, "pve3")).full_clean()
    Device(name="hv4", site=site, location=room, device_type=host.device_type, role=host.role,
           cluster=Cluster.objects.get(name="pve3")).full_clean()
    # Deleting the cluster leaves its hosts (SET_NULL, as NetBox).
    cluster = host.cluster
    host.cluster.virtual_machines.all().delete()
    cluster.delete()
    host.refresh_from_db()
    assert host.cluster is None


def test_vm_host_rules(places, device):
    site = places[2]
    standalone = device("esx1")
    vm = VirtualMachine.objects.create(name="vm1", device=standalone)
    assert vm.site == site  # from its host
    cluster = cluster_at(site)
    clustered = device("hv1", cluster=cluster)
    with pytest.raises(ValidationError, match=r"Must specify the assigned device's cluster \(pve1\)"):
        VirtualMachine(name="vm2", device=clustered).full_clean()
    with pytest.raises(ValidationError, match="is not assigned to this cluster"):
        VirtualMachine(name="vm3", device=standalone, cluster=cluster).full_clean()
    VirtualMachine(name="vm4", device=clustered, cluster=cluster).full_clean()
    other = Site.objects.create(name="DC2", slug="dc2")
    with pytest.raises(ValidationError) as error:
        VirtualMachine(name="vm5", device=standalone, site=other).full_clean()
    assert "is not assigned to this site" in str(error.value.message_dict["site"])


# Circuit terminations as cable ends ---------------------------------------------------------

@pytest.fixture
def circuit(places):
    provider = Provider.objects.create(name="Lumen", slug="lumen")
    return Circuit.objects.create(cid="LUM-1", provider=provider,
                                  type=CircuitType.objects.create(name="Transit", slug="transit"))


def test_path_across_a_circuit(places, device, circuit):
    region, group, site, room = places
    a_end = CircuitTermination.objects.create(circuit=circuit, term_side="A", termination=room)
    assert (a_end._location, a_end._site, a_end._site_group, a_end._region) == (room, site, group, region)
    z_end = CircuitTermination.objects.create(circuit=circuit, term_side="Z", termination=site)
    r1 = Interface.objects.create(device=device("r1"), name="xe-0/0/0", type="10gbase-x-sfpp")
    r2 = Interface.objects.create(device=device("r2"), name="xe-0/0/0", type="10gbase-x-sfpp")
    Cable(a_terminations=[r1], b_terminations=[a_end]).save()
    r1.refresh_from_db()
    a_end.refresh_from_db()
    assert a_end.cable == r1.cable and a_end.cable_end == "B" and a_end.link_peers == [r1]
    assert r1.link_peers == [a_end]
    row = CableTermination.objects.get(circuittermination=a_end)
    assert (row._site, row._location, row._device) == (site, room, None)
    assert r1.connected_endpoints == []  # the far end has no cable: the path stops, as in NetBox
    Cable(a_terminations=[z_end], b_terminations=[r2]).save()
    r1 = Interface.objects.get(pk=r1.pk)
    assert r1.connected_endpoints == [r2] and r1.connection_status is True
    assert Interface.objects.get(pk=r2.pk).connected_endpoints == [r1]
    # A termination cannot be cabled twice, nor marked connected while it has a cable.
    r3 = Interface.objects.create(device=device("r3"), name="xe-0/0/0", type="10gbase-x-sfpp")
    with pytest.raises(ValidationError, match="already has cable"):
        Cable(a_terminations=[r3], b_terminations=[a_end]).full_clean()
    a_end = CircuitTermination.objects.get(pk=a_end.pk)
    a_end.mark_connected = True
    with pytest.raises(ValidationError, match="Cannot mark as connected"):
        a_end.full_clean()
    # Deleting the cable frees the termination.
    CircuitTermination.objects.get(pk=a_end.pk).cable.delete()
    a_end.refresh_from_db()
    assert (a_end.cable, a_end.cable_end) == (None, None)


def test_circuit_to_a_provider_network(places, device, circuit):
    network = ProviderNetwork.objects.create(provider=circuit.provider, name="Lumen MPLS")
    a_end = CircuitTermination.objects.create(circuit=circuit, term_side="A", termination=places[2])
    z_end = CircuitTermination.objects.create(circuit=circuit, term_side="Z", termination=network)
    r1 = Interface.objects.create(device=device("r1"), name="xe-0/0/0", type="10gbase-x-sfpp")
    Cable(a_terminations=[r1], b_terminations=[a_end]).save()
    assert Interface.objects.get(pk=r1.pk).connected_endpoints == [network]
    r2 = Interface.objects.create(device=device("r2"), name="xe-0/0/0", type="10gbase-x-sfpp")
    with pytest.raises(ValidationError, match="attached to a provider network may not be cabled"):
        Cable(a_terminations=[r2], b_terminations=[z_end]).full_clean()


def test_moving_a_termination_updates_both_circuits(places, circuit):
    end = CircuitTermination.objects.create(circuit=circuit, term_side="A", termination=places[2])
    other = Circuit.objects.create(cid="LUM-2", provider=circuit.provider, type=circuit.type)
    end = CircuitTermination.objects.get(pk=end.pk)
    end.circuit, end.term_side = other, "Z"
    end.save()
    circuit.refresh_from_db()
    other.refresh_from_db()
    assert (circuit.termination_a, circuit.termination_z, other.termination_a, other.termination_z) == (
        None, None, None, end)


# Through the API and a script ----------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_pynetbox_site_groups_clusters_and_circuit_cables(live_server, superuser, token_for):
    nb = pynetbox.api(live_server.url, token=token_for(superuser))
    group = nb.dcim.site_groups.create(name="Data centres", slug="dc")
    site = nb.dcim.sites.create(name="DC1", slug="dc1", group=group.id)
    assert nb.dcim.sites.get(site.id).group.slug == "dc"
    assert [s.name for s in nb.dcim.sites.filter(group_id=group.id)] == ["DC1"]
    room = nb.dcim.locations.create(site=site.id, name="Room 1", slug="room-1")
    prefix = nb.ipam.prefixes.create(prefix="10.0.0.0/24", scope_type="dcim.location", scope_id=room.id)
    assert [p.id for p in nb.ipam.prefixes.filter(location_id=room.id)] == [prefix.id]
    assert [p.id for p in nb.ipam.prefixes.filter(site_group_id=group.id)] == [prefix.id]
    cluster_type = nb.virtualization.cluster_types.create(name="Proxmox", slug="proxmox")
    cluster = nb.virtualization.clusters.create(name="pve1", type=cluster_type.id, scope_type="dcim.site",
                                                scope_id=site.id)
    assert [c.id for c in nb.virtualization.clusters.filter(site_group_id=group.id)] == [cluster.id]
    maker = nb.dcim.manufacturers.create(name="Cisco", slug="cisco")
    device_type = nb.dcim.device_types.create(manufacturer=maker.id, model="C9300", slug="c9300")
    role = nb.dcim.device_roles.create(name="Router", slug="router")
    r1 = nb.dcim.devices.create(name="r1", site=site.id, device_type=device_type.id, role=role.id,
                                cluster=cluster.id)
    assert nb.dcim.devices.get(r1.id).cluster.name == "pve1"
    assert [d.name for d in nb.dcim.devices.filter(cluster_id=cluster.id)] == ["r1"]
    r2 = nb.dcim.devices.create(name="r2", site=site.id, device_type=device_type.id, role=role.id)
    provider = nb.circuits.providers.create(name="Lumen", slug="lumen")
    circuit_type = nb.circuits.circuit_types.create(name="Transit", slug="transit")
    circuit = nb.circuits.circuits.create(cid="LUM-1", provider=provider.id, type=circuit_type.id)
    ends = [nb.circuits.circuit_terminations.create(circuit=circuit.id, term_side=side, termination_type="dcim.site",
                                                    termination_id=site.id) for side in "AZ"]
    ports = [nb.dcim.interfaces.create(device=d.id, name="xe-0/0/0", type="10gbase-x-sfpp") for d in (r1, r2)]
    for port, end in zip(ports, ends, strict=True):
        nb.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": port.id}],
                              b_terminations=[{"object_type": "circuits.circuittermination", "object_id": end.id}])
    a_end = nb.circuits.circuit_terminations.get(ends[0].id)
    assert a_end.cable is not None and a_end.cable_end == "B" and a_end._occupied is True
    assert [p.id for p in a_end.link_peers] == [ports[0].id] and a_end.link_peers_type == "dcim.interface"
    port = nb.dcim.interfaces.get(ports[0].id)
    assert port.link_peers_type == "circuits.circuittermination"
    assert [e.id for e in port.connected_endpoints] == [ports[1].id] and port.connected_endpoints_reachable
    assert nb.circuits.circuit_terminations.count(cabled=True) == 2
    assert nb.dcim.cables.count(site_id=site.id) == 2
    with pytest.raises(pynetbox.RequestError) as error:  # the termination is taken
        nb.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": ports[1].id}],
                              b_terminations=[{"object_type": "circuits.circuittermination",
                                               "object_id": ends[0].id}])
    assert error.value.req.status_code == 400
    assert Cable.objects.count() == 2


CIRCUIT_REPORT = '''
from circuits.models import Circuit
from extras.scripts import Script


class CircuitReport(Script):
    class Meta:
        name = "Circuit report"

    def run(self, data, commit):
        for circuit in Circuit.objects.all():
            for end in (circuit.termination_a, circuit.termination_z):
                if end is None:
                    self.log_warning(f"{circuit}: no termination")
                elif end.cable is None:
                    self.log_failure(f"{end} is not cabled", obj=end)
                else:
                    peers = ", ".join(f"{p.device} {p}" for p in end.link_peers)
                    self.log_success(f"{end} cabled to {peers}", obj=end)
'''


def test_circuit_report_script(userscripts, places, device, circuit):
    userscripts.load_module("circuit_report", CIRCUIT_REPORT)
    a_end = CircuitTermination.objects.create(circuit=circuit, term_side="A", termination=places[2])
    CircuitTermination.objects.create(circuit=circuit, term_side="Z", termination=places[2])
    r1 = Interface.objects.create(device=device("r1"), name="xe-0/0/0", type="10gbase-x-sfpp")
    Cable(a_terminations=[r1], b_terminations=[a_end]).save()
    out = io.StringIO()
    with pytest.raises(CommandError, match="failed"):  # a logged failure fails the run, as in NetBox
        call_command("runjob", "local/circuit_report/CircuitReport", stdout=out, stderr=io.StringIO(), no_color=True)
    lines = out.getvalue().splitlines()
    assert any("SUCCESS" in line and "LUM-1: Termination A cabled to r1 xe-0/0/0" in line for line in lines), lines
    assert any("FAILURE" in line and "LUM-1: Termination Z is not cabled" in line for line in lines), lines


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["dcim", "virtualization"])
def test_mac_address_shortcut_on_interfaces(live_server, superuser, token_for, kind):
    """NetBox 4.7: writing an interface's ``mac_address`` sets its primary MAC (found or created)."""
    nb = pynetbox.api(live_server.url, token=token_for(superuser))
    site = nb.dcim.sites.create(name="DC1", slug="dc1")
    if kind == "dcim":
        maker = nb.dcim.manufacturers.create(name="Cisco", slug="cisco")
        device_type = nb.dcim.device_types.create(manufacturer=maker.id, model="C9300", slug="c9300")
        role = nb.dcim.device_roles.create(name="Router", slug="router")
        parent = {"device": nb.dcim.devices.create(name="r1", site=site.id, device_type=device_type.id,
                                                   role=role.id).id, "type": "1000base-t"}
        endpoint = nb.dcim.interfaces
    else:
        parent = {"virtual_machine": nb.virtualization.virtual_machines.create(name="vm1", site=site.id).id}
        endpoint = nb.virtualization.interfaces
    interface = endpoint.create(name="eth0", mac_address="52-54-00-aa-bb-01", **parent)
    assert interface.mac_address == "52:54:00:AA:BB:01"
    assert [m.mac_address for m in endpoint.get(interface.id).mac_addresses] == ["52:54:00:AA:BB:01"]
    # A second value: a new MAC, made primary; the first stays on the interface.
    interface.mac_address = "52:54:00:aa:bb:02"
    assert interface.save()
    interface = endpoint.get(interface.id)
    assert interface.mac_address == "52:54:00:AA:BB:02" and len(interface.mac_addresses) == 2
    # Back to the first: found, not created again; in a bulk update too.
    endpoint.update([{"id": interface.id, "mac_address": "52:54:00:AA:BB:01"}])
    assert endpoint.get(interface.id).mac_address == "52:54:00:AA:BB:01"
    assert nb.dcim.mac_addresses.count() == 2
    with pytest.raises(pynetbox.RequestError) as error:
        endpoint.create(name="eth1", mac_address="not-a-mac", **parent)
    assert json.loads(error.value.error) == {"mac_address": ["Enter a valid MAC address (e.g. 00:11:22:33:44:55)."]}
    with pytest.raises(pynetbox.RequestError) as error:
        interface.update({"mac_address": "52:54:00:AA:BB:03",
                          "primary_mac_address": endpoint.get(interface.id).primary_mac_address.id})
    assert "conflict" in error.value.error
    assert endpoint.count(name="eth1") == 0 and nb.dcim.mac_addresses.count() == 2
    interface.update({"mac_address": None})
    assert endpoint.get(interface.id).mac_address is None and nb.dcim.mac_addresses.count() == 2


def test_set_primary_mac_address_from_a_script(places, device):
    interface = Interface.objects.create(device=device("r1"), name="eth0", type="1000base-t")
    interface.set_primary_mac_address_from_value("00-11-22-33-44-55")
    assert Interface.objects.get(pk=interface.pk).mac_address == "00:11:22:33:44:55"
    loaded = Interface.objects.get(pk=interface.pk)
    with CaptureQueriesContext(connection) as queries:
        loaded.save()  # its primary MAC unchanged: not read again
    assert not [q for q in queries.captured_queries if "dcim_macaddress" in q["sql"]], queries.captured_queries
    with pytest.raises(ValidationError, match="not a valid MAC address"):
        interface.set_primary_mac_address_from_value("nope")
    interface.set_primary_mac_address(None)
    assert Interface.objects.get(pk=interface.pk).primary_mac_address is None


def test_mac_address_shortcut_needs_permission_to_create_a_mac(places, device, django_user_model, token_for):
    interface = Interface.objects.create(device=device("r1"), name="eth0", type="1000base-t")
    user = django_user_model.objects.create_user("ops")
    grant(user, "dcim.view_interface", "dcim.change_interface")
    api = client_for(user, token_for)
    response = api.patch(f"/api/dcim/interfaces/{interface.pk}/", {"mac_address": "00:11:22:33:44:55"},
                         format="json")
    assert response.status_code == 403, response.content
    assert response.json() == {"detail": "You do not have permission to create MAC addresses."}
    assert not interface.mac_addresses.exists() and Interface.objects.get(pk=interface.pk).primary_mac_address is None
    grant(user, "dcim.add_macaddress")
    response = api.patch(f"/api/dcim/interfaces/{interface.pk}/", {"mac_address": "00:11:22:33:44:55"},
                         format="json")
    assert response.status_code == 200 and response.json()["mac_address"] == "00:11:22:33:44:55"


def test_region_site_group_and_location_filters_include_what_is_below(places, device, superuser, token_for):
    """As NetBox's tree filters: ``?region_id=`` a region finds what is in the regions below it too."""
    region, group, site, room = places
    europe = Region.objects.create(name="Europe", slug="europe")
    region.parent = europe
    region.save()
    cage = Location.objects.create(site=site, parent=room, name="Cage 1", slug="cage-1")
    r1 = device("r1", location=cage)
    device("r2")
    Prefix.objects.create(prefix="10.0.0.0/24", scope=cage)
    api = client_for(superuser, token_for)

    def names(url):
        response = api.get(url)
        assert response.status_code == 200, response.content
        return [row.get("name") or row.get("prefix") for row in response.json()["results"]]

    assert names(f"/api/dcim/sites/?region_id={europe.pk}") == ["DC1"]
    assert names("/api/dcim/sites/?region=europe") == ["DC1"]
    assert names(f"/api/dcim/devices/?location_id={room.pk}") == [r1.name]
    assert names("/api/dcim/devices/?location=room-1") == [r1.name]
    assert names(f"/api/ipam/prefixes/?location_id={room.pk}") == ["10.0.0.0/24"]
    assert names(f"/api/dcim/locations/?parent_id={room.pk}") == ["Cage 1"]  # a node's parent: that one only
    assert names(f"/api/dcim/regions/?parent_id={europe.pk}") == ["EU"]
    assert api.get("/api/dcim/sites/?region_id=999999").status_code == 400


def test_generic_references_must_name_an_existing_object(places, circuit):
    """A scope, a circuit end or a MAC's assignment: a type without an id, an id without a type, or no such object."""
    site_type, interface_type = ContentType.objects.get_for_model(Site), ContentType.objects.get_for_model(Interface)
    cases = [
        (Prefix(prefix="10.0.0.0/24", scope_type=site_type), "scope_id", "Please select a site."),
        (Prefix(prefix="10.0.0.0/24", scope_id=1), "scope_type", "Give the type of the scope as well as its id."),
        (Prefix(prefix="10.0.0.0/24", scope_type=site_type, scope_id=999999), "scope_id", "No site with id 999999."),
        (CircuitTermination(circuit=circuit, term_side="A", termination_id=places[2].pk), "termination_type",
         "Give the type of the termination as well as its id."),
        (MACAddress(mac_address="00:11:22:33:44:55", assigned_object_type=interface_type,
                    assigned_object_id=999999), "assigned_object_id", "No interface with id 999999."),
    ]
    for obj, field, message in cases:
        with pytest.raises(ValidationError) as error:
            obj.full_clean()
        assert error.value.message_dict.get(field) == [message], (obj, error.value.message_dict)
    MACAddress(mac_address="00:11:22:33:44:55", assigned_object_type=interface_type).full_clean()  # no id: unassigned
