"""pynetbox, unchanged, against a live server: a record read and written on each dcim endpoint NetBox 4.7 adds."""
import pynetbox
import pytest

from dcim.models import Cable, CableTermination, Device, FrontPort, Interface, MACAddress, PortMapping, PowerFeed, Rack

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nb(live_server, superuser, token_for):
    return pynetbox.api(live_server.url, token=token_for(superuser))


@pytest.fixture
def site(nb):
    return nb.dcim.sites.create(name="DC1", slug="dc1")


def test_locations_racks_and_placement(nb, site):
    hall = nb.dcim.locations.create(site=site.id, name="Hall 1", slug="hall-1")
    room = nb.dcim.locations.create(site=site.id, parent=hall.id, name="Room 2", slug="room-2")
    role = nb.dcim.rack_roles.create(name="Network", slug="network", color="2196f3")
    rack = nb.dcim.racks.create(site=site.id, location=room.id, role=role.id, name="R1", u_height=10)
    assert rack.location.name == "Room 2" and rack.status.value == "active" and rack.u_height == 10
    assert nb.dcim.locations.get(room.id).parent.slug == "hall-1"
    assert [r.name for r in nb.dcim.racks.filter(site_id=site.id, location_id=room.id)] == ["R1"]
    rack.status = "planned"
    assert rack.save() and Rack.objects.get().status == "planned"
    maker = nb.dcim.manufacturers.create(name="Acme", slug="acme")
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model="2U", slug="2u", u_height=2)
    drole = nb.dcim.device_roles.create(name="Server", slug="server")
    device = nb.dcim.devices.create(name="s1", site=site.id, rack=rack.id, position=3, face="front",
                                    device_type=dtype.id, role=drole.id)
    assert device.location.id == room.id and device.position == 3.0 and device.face.value == "front"
    with pytest.raises(pynetbox.RequestError) as error:  # units 4 is taken by s1 (3-4)
        nb.dcim.devices.create(name="s2", site=site.id, rack=rack.id, position=4, face="rear",
                               device_type=dtype.id, role=drole.id)
    assert "position" in error.value.error and "already occupied" in error.value.error
    assert [d.name for d in nb.dcim.devices.filter(rack_id=rack.id)] == ["s1"]
    assert [loc.name for loc in nb.dcim.locations.filter(q="room")] == ["Room 2"]


def test_templates_components_and_bays(nb, site):
    maker = nb.dcim.manufacturers.create(name="Acme", slug="acme")
    chassis = nb.dcim.device_types.create(manufacturer=maker.id, model="C1", slug="c1", subdevice_role="parent")
    made = {
        "console_port_templates": {"name": "con0", "type": "rj-45"},
        "console_server_port_templates": {"name": "port1", "type": "rj-45"},
        "power_port_templates": {"name": "PSU0", "type": "iec-60320-c14", "maximum_draw": 200},
        "interface_templates": {"name": "eth0", "type": "1000base-t", "mgmt_only": True},
        "rear_port_templates": {"name": "rear", "type": "mpo", "positions": 2},
        "device_bay_templates": {"name": "bay1"},
        "module_bay_templates": {"name": "slot1", "position": "1"},
    }
    for endpoint, fields in made.items():
        getattr(nb.dcim, endpoint).create(device_type=chassis.id, **fields)
    psu = nb.dcim.power_port_templates.get(device_type_id=chassis.id)
    nb.dcim.power_outlet_templates.create(device_type=chassis.id, name="out1", power_port=psu.id, feed_leg="A")
    rear = nb.dcim.rear_port_templates.get(name="rear")
    front = nb.dcim.front_port_templates.create(device_type=chassis.id, name="front2", type="lc",
                                                rear_ports=[{"position": 1, "rear_port": rear.id,
                                                             "rear_port_position": 2}])
    assert [(m.position, m.rear_port, m.rear_port_position) for m in front.rear_ports] == [(1, rear.id, 2)]
    template = nb.dcim.interface_templates.get(name="eth0")
    template.description = "management"
    assert template.save()

    role = nb.dcim.device_roles.create(name="Chassis", slug="chassis")
    device = nb.dcim.devices.create(name="c1", site=site.id, device_type=chassis.id, role=role.id)
    iface = nb.dcim.interfaces.get(device_id=device.id)
    assert iface.name == "eth0" and iface.mgmt_only and iface.description == "management"
    assert nb.dcim.console_ports.get(device_id=device.id).type.value == "rj-45"
    assert nb.dcim.console_server_ports.get(device_id=device.id).name == "port1"
    outlet = nb.dcim.power_outlets.get(device_id=device.id)
    assert outlet.power_port.name == "PSU0" and outlet.feed_leg.value == "A"
    port = nb.dcim.front_ports.get(device_id=device.id)
    assert port.name == "front2" and port.rear_ports[0].rear_port_position == 2
    mappings = nb.dcim.rear_ports.get(device_id=device.id).front_ports
    assert [(m.position, m.front_port, m.front_port_position) for m in mappings] == [(2, port.id, 1)]
    slot = nb.dcim.module_bays.get(device_id=device.id)
    slot.label = "Slot one"
    assert slot.save() and slot.position == "1"

    blade_type = nb.dcim.device_types.create(manufacturer=maker.id, model="B1", slug="b1", subdevice_role="child",
                                             u_height=0)
    blade = nb.dcim.devices.create(name="b1", site=site.id, device_type=blade_type.id, role=role.id)
    bay = nb.dcim.device_bays.get(device_id=device.id, name="bay1")
    bay.installed_device = blade.id
    assert bay.save()
    assert nb.dcim.device_bays.get(bay.id).installed_device.name == "b1"
    assert nb.dcim.devices.get(blade.id).parent_device.name == "c1"


def test_cables_terminations_and_pass_through(nb, site):
    maker = nb.dcim.manufacturers.create(name="Acme", slug="acme")
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model="S", slug="s")
    role = nb.dcim.device_roles.create(name="Leaf", slug="leaf")
    sw1, sw2, panel = (nb.dcim.devices.create(name=n, site=site.id, device_type=dtype.id, role=role.id)
                       for n in ("sw1", "sw2", "panel"))
    a = nb.dcim.interfaces.create(device=sw1.id, name="eth0", type="1000base-t")
    b = nb.dcim.interfaces.create(device=sw2.id, name="eth0", type="1000base-t")
    rear = nb.dcim.rear_ports.create(device=panel.id, name="rear", type="lc")
    front = nb.dcim.front_ports.create(device=panel.id, name="front", type="lc",
                                       rear_ports=[{"position": 1, "rear_port": rear.id}])
    first = nb.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": a.id}],
                                  b_terminations=[{"object_type": "dcim.frontport", "object_id": front.id}],
                                  type="cat6", label="c1")
    nb.dcim.cables.create(a_terminations=[{"object_type": "dcim.rearport", "object_id": rear.id}],
                          b_terminations=[{"object_type": "dcim.interface", "object_id": b.id}])
    cable = nb.dcim.cables.get(first.id)
    assert [t.object_type for t in cable.a_terminations] == ["dcim.interface"]
    assert cable.a_terminations[0].object.name == "eth0" and cable.b_terminations[0].object_id == front.id
    a = nb.dcim.interfaces.get(a.id)
    assert a.cable.id == cable.id and a.cable_end == "A" and a.link_peers_type == "dcim.frontport"
    assert [p.name for p in a.link_peers] == ["front"]
    assert a.connected_endpoints_type == "dcim.interface" and a.connected_endpoints[0].id == b.id
    assert Interface.objects.get(pk=a.id).connected_endpoints == [Interface.objects.get(pk=b.id)]
    rows = nb.dcim.cable_terminations.filter(cable_id=cable.id)
    assert sorted((t.cable_end.value, t.termination_type) for t in rows) == [("A", "dcim.interface"),
                                                                             ("B", "dcim.frontport")]
    assert [c.label for c in nb.dcim.cables.filter(device_id=sw1.id)] == ["c1"]
    assert [c.label for c in nb.dcim.cables.filter(interface_id=a.id)] == ["c1"]
    assert [c.label for c in nb.dcim.cables.filter(termination_b_type="dcim.frontport")] == ["c1"]
    assert [c.label for c in nb.dcim.cables.filter(termination_a_type="dcim.rearport", termination_b_id=b.id)] == [""]
    assert len(nb.dcim.cable_terminations.filter(device_id=sw2.id, termination_type="dcim.interface")) == 1

    c = nb.dcim.interfaces.create(device=sw1.id, name="eth1", type="1000base-t")
    cable.a_terminations = [{"object_type": "dcim.interface", "object_id": c.id}]
    cable.status = "planned"
    assert cable.save()
    assert Interface.objects.get(pk=a.id).cable is None and Interface.objects.get(pk=c.id).cable_end == "A"
    with pytest.raises(pynetbox.RequestError) as error:
        nb.dcim.cables.create(a_terminations=[{"object_type": "dcim.interface", "object_id": c.id}],
                              b_terminations=[{"object_type": "dcim.powerport", "object_id": 99999}])
    assert error.value.req.status_code == 400 and "b_terminations" in error.value.error
    row = nb.dcim.cable_terminations.get(cable_id=cable.id, cable_end="B")
    assert row.termination.name == "front"
    cable.delete()
    assert not Cable.objects.filter(pk=first.id).exists()
    assert not CableTermination.objects.filter(cable_id=first.id).exists()
    assert FrontPort.objects.get(pk=front.id).cable_end is None and PortMapping.objects.count() == 1


def test_power_panels_feeds_and_mac_addresses(nb, site):
    panel = nb.dcim.power_panels.create(site=site.id, name="PP1")
    rack = nb.dcim.racks.create(site=site.id, name="R1")
    feed = nb.dcim.power_feeds.create(power_panel=panel.id, rack=rack.id, name="A", voltage=230, amperage=16,
                                      phase="three-phase")
    assert feed.available_power == PowerFeed.objects.get().available_power == 5099  # 230 x 16 x 0.8 x sqrt(3)
    feed.max_utilization = 100
    assert feed.save() and nb.dcim.power_feeds.get(feed.id).available_power == 6374
    assert [f.name for f in nb.dcim.power_feeds.filter(site_id=site.id, rack_id=rack.id)] == ["A"]
    panel.description = "Main"
    assert panel.save() and nb.dcim.power_panels.get(site_id=site.id).description == "Main"

    maker = nb.dcim.manufacturers.create(name="Acme", slug="acme")
    dtype = nb.dcim.device_types.create(manufacturer=maker.id, model="S", slug="s")
    role = nb.dcim.device_roles.create(name="Leaf", slug="leaf")
    device = nb.dcim.devices.create(name="sw1", site=site.id, device_type=dtype.id, role=role.id)
    iface = nb.dcim.interfaces.create(device=device.id, name="eth0", type="1000base-t")
    mac = nb.dcim.mac_addresses.create(mac_address="00-11-22-aa-bb-cc", assigned_object_type="dcim.interface",
                                       assigned_object_id=iface.id)
    assert mac.mac_address == "00:11:22:AA:BB:CC" and mac.assigned_object.name == "eth0"
    iface.primary_mac_address = mac.id
    assert iface.save()
    iface = nb.dcim.interfaces.get(iface.id)
    assert iface.mac_address == "00:11:22:AA:BB:CC" and iface.primary_mac_address.id == mac.id
    assert [i.name for i in nb.dcim.interfaces.filter(mac_address="00:11:22:aa:bb:cc")] == ["eth0"]
    assert [m.id for m in nb.dcim.mac_addresses.filter(device_id=device.id)] == [mac.id]
    mac.description = "burned in"
    assert mac.save() and MACAddress.objects.get().description == "burned in"
    with pytest.raises(pynetbox.RequestError) as error:
        nb.dcim.mac_addresses.create(mac_address="not-a-mac")
    assert "mac_address" in error.value.error
    assert Device.objects.get().interfaces.get().mac_address == "00:11:22:AA:BB:CC"
