"""NetBox 4.7's validation rules and helpers on the dcim models added for issue 12."""
import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save

from dcim.models import (
    Cable,
    ConsolePort,
    Device,
    DeviceBay,
    DeviceBayTemplate,
    DeviceRole,
    DeviceType,
    FrontPort,
    Interface,
    InterfaceTemplate,
    Location,
    MACAddress,
    Manufacturer,
    PortMapping,
    PowerFeed,
    PowerPanel,
    PowerPort,
    Rack,
    RearPort,
    Site,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return Site.objects.create(name="DC1", slug="dc1")


@pytest.fixture
def make_device(site):
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    kinds = {height: DeviceType.objects.create(manufacturer=maker, model=f"{height}U", slug=f"u{height}",
                                               u_height=height) for height in (0, 1, 2)}
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")

    def make(name, height=1, **fields):
        return Device.objects.create(name=name, site=site, device_type=kinds[height], role=role, **fields)
    return make


def errors_of(obj):
    with pytest.raises(ValidationError) as exc:
        obj.full_clean()
    return exc.value.message_dict


def test_placement_rules(site, make_device):
    other = Site.objects.create(name="DC2", slug="dc2")
    hall = Location.objects.create(site=site, name="Hall", slug="hall")
    rack = Rack.objects.create(site=site, location=hall, name="R1", u_height=4)
    foreign = Rack.objects.create(site=other, name="R9")
    device = make_device("d1", rack=rack, position=1, face="front")
    assert device.location == hall  # taken from the rack, as NetBox does
    assert "rack" in errors_of(Device(name="x", site=site, rack=foreign, device_type=device.device_type,
                                      role=device.role))
    bad = Device(name="x", site=site, device_type=device.device_type, role=device.role, face="rear")
    assert errors_of(bad) == {"face": ["Cannot select a rack face without assigning a rack."]}
    bad = Device(name="x", site=site, rack=rack, position=2, device_type=device.device_type, role=device.role)
    assert errors_of(bad) == {"face": ["Must specify rack face when defining rack position."]}
    bad.face = "rear"
    bad.device_type = DeviceType.objects.get(u_height=2)
    assert "already occupied" in errors_of(Device(name="y", site=site, rack=rack, position=1, face="rear",
                                                  device_type=bad.device_type, role=device.role))["position"][0]
    bad.full_clean()  # units 2-3 are free on either face
    zero = Device(name="z", site=site, rack=rack, position=3, face="front", role=device.role,
                  device_type=DeviceType.objects.get(u_height=0))
    assert "0U device type" in errors_of(zero)["position"][0]
    assert "parent" in errors_of(Location(site=other, parent=hall, name="Sub", slug="sub"))
    assert rack.get_available_units() == [4, 3, 2] and rack.get_utilization() == 25.0
    units = rack.get_rack_units(face="rear")
    assert [(u["name"], u["occupied"]) for u in units] == [("U4", False), ("U3", False), ("U2", False), ("U1", True)]
    assert units[3]["device"] == device  # a full-depth device shows on both faces


def test_new_device_gets_its_type_components_with_a_save_signal_each(make_device):
    device_type = DeviceType.objects.get(u_height=1)
    InterfaceTemplate.objects.create(device_type=device_type, name="eth0", type="1000base-t", label="Port 0")
    InterfaceTemplate.objects.create(device_type=device_type, name="eth1", type="1000base-t")
    saved = []

    def record(sender, instance, created, **kwargs):
        saved.append((instance.name, created))
    post_save.connect(record, sender=Interface)
    try:
        device = make_device("d1")
    finally:
        post_save.disconnect(record, sender=Interface)
    assert saved == [("eth0", True), ("eth1", True)]
    assert [str(i) for i in device.interfaces.order_by("name")] == ["eth0 (Port 0)", "eth1"]
    template = InterfaceTemplate.objects.get(name="eth1")
    unsaved = template.instantiate(device=device)
    assert unsaved.pk is None and unsaved.name == "eth1" and unsaved.device == device
    device.save()  # saving again creates nothing more
    assert device.interfaces.count() == 2


def test_cable_rules(make_device):
    d1, d2 = make_device("d1"), make_device("d2")
    a = Interface.objects.create(device=d1, name="a", type="1000base-t")
    virtual = Interface.objects.create(device=d2, name="v", type="virtual")
    marked = Interface.objects.create(device=d2, name="m", type="1000base-t", mark_connected=True)
    console = ConsolePort.objects.create(device=d2, name="con")
    with pytest.raises(ValidationError, match="Must define A and B terminations"):
        Cable(a_terminations=[a]).full_clean()
    with pytest.raises(ValidationError, match="Cables cannot be terminated to Virtual interfaces"):
        Cable(a_terminations=[a], b_terminations=[virtual]).full_clean()
    with pytest.raises(ValidationError, match="because it is marked as connected"):
        Cable(a_terminations=[a], b_terminations=[marked]).full_clean()
    with pytest.raises(ValidationError, match="different termination types"):
        Cable(a_terminations=[a], b_terminations=[marked, console]).full_clean()
    with pytest.raises(ValidationError, match="same object"):
        Cable(a_terminations=[a], b_terminations=[a]).full_clean()
    with pytest.raises(ValidationError, match="unit"):
        Cable(a_terminations=[a], b_terminations=[console], length=3).full_clean()
    b, c = (Interface.objects.create(device=d2, name=n, type="1000base-t") for n in ("b", "c"))
    cable = Cable(a_terminations=[a], b_terminations=[b, c], length=2, length_unit="m")
    cable.full_clean()
    cable.save()
    assert Interface.objects.get(pk=a.pk).link_peers == [b, c] and Interface.objects.get(pk=c.pk).link_peers == [a]
    with pytest.raises(ValidationError, match="Cannot mark as connected with a cable attached"):
        c = Interface.objects.get(pk=c.pk)
        c.mark_connected = True
        c.full_clean()


def test_pass_through_mapping_rules(make_device):
    panel = make_device("p1")
    rear = RearPort.objects.create(device=panel, name="rear", type="mpo", positions=2)
    front = FrontPort.objects.create(device=panel, name="f1", type="lc")
    with pytest.raises(ValidationError, match="has only 2 positions"):
        PortMapping(front_port=front, rear_port=rear, rear_port_position=3).full_clean(exclude=["device"])
    other = RearPort.objects.create(device=make_device("p2"), name="rear", type="mpo")
    with pytest.raises(ValidationError, match="must belong to the same device"):
        PortMapping(front_port=front, rear_port=other).full_clean(exclude=["device"])
    PortMapping.objects.create(front_port=front, rear_port=rear, rear_port_position=2)
    assert front.rear_ports == [rear] and rear.front_ports == [front]
    rear.positions = 0
    assert "positions" in errors_of(rear)


def test_power_feed_and_panel_rules(site, make_device):
    panel = PowerPanel.objects.create(site=site, name="PP1")
    elsewhere = Rack.objects.create(site=Site.objects.create(name="DC2", slug="dc2"), name="R1")
    assert "rack" in errors_of(PowerFeed(power_panel=panel, rack=elsewhere, name="A"))
    assert "voltage" in errors_of(PowerFeed(power_panel=panel, name="A", voltage=-48))
    PowerFeed(power_panel=panel, name="A", voltage=-48, supply="dc").full_clean()
    feed = PowerFeed.objects.create(power_panel=panel, name="B", voltage=120, amperage=20)
    assert feed.available_power == 1920
    port = PowerPort.objects.create(device=make_device("pdu"), name="inlet")
    with pytest.raises(ValidationError, match="Incompatible termination types: powerfeed and powerfeed"):
        Cable(a_terminations=[feed], b_terminations=[PowerFeed.objects.create(power_panel=panel, name="C")]).clean()
    cable = Cable.objects.create(a_terminations=[feed], b_terminations=[port])
    assert PowerFeed.objects.get(pk=feed.pk).connected_endpoints == [port]
    assert list(port.device.get_cables()) == [cable] and port.device.get_cables(pk_list=True) == [cable.pk]


def test_mac_addresses_and_primary(make_device):
    device = make_device("d1")
    eth0, eth1 = (Interface.objects.create(device=device, name=n, type="1000base-t") for n in ("eth0", "eth1"))
    mac = MACAddress.objects.create(mac_address="aa:bb:cc:dd:ee:ff", assigned_object=eth0)
    assert mac.mac_address == "AA:BB:CC:DD:EE:FF" and list(eth0.mac_addresses.all()) == [mac]
    assert "mac_address" in errors_of(MACAddress(mac_address="zz"))
    eth1.primary_mac_address = mac
    assert "primary_mac_address" in errors_of(eth1)
    eth0.primary_mac_address = mac
    eth0.full_clean()
    eth0.save()
    assert eth0.mac_address == "AA:BB:CC:DD:EE:FF" and mac.is_primary
    assert list(Interface.objects.filter(mac_addresses__mac_address="aa-bb-cc-dd-ee-ff")) == [eth0]
    free = MACAddress.objects.create(mac_address="02:00:00:00:00:01")
    eth2 = Interface(device=device, name="eth2", type="1000base-t", primary_mac_address=free)
    eth2.full_clean()
    eth2.save()
    assert MACAddress.objects.get(pk=free.pk).assigned_object == eth2 and eth2.mac_address == "02:00:00:00:00:01"
    mac = MACAddress.objects.get(pk=mac.pk)
    mac.assigned_object = eth1
    with pytest.raises(ValidationError, match="designated as the primary MAC"):
        mac.full_clean()


def test_device_bays(site, make_device):
    maker = Manufacturer.objects.first()
    chassis_type = DeviceType.objects.create(manufacturer=maker, model="Chassis", slug="chassis",
                                             subdevice_role="parent")
    blade_type = DeviceType.objects.create(manufacturer=maker, model="Blade", slug="blade", subdevice_role="child",
                                           u_height=0)
    assert "u_height" in errors_of(DeviceType(manufacturer=maker, model="B2", slug="b2", subdevice_role="child"))
    DeviceBayTemplate.objects.create(device_type=chassis_type, name="bay1")
    assert "__all__" in errors_of(DeviceBayTemplate(device_type=DeviceType.objects.get(slug="u1"), name="x"))
    role = DeviceRole.objects.first()
    chassis = Device.objects.create(name="c1", site=site, device_type=chassis_type, role=role)
    blade = Device.objects.create(name="b1", site=site, device_type=blade_type, role=role)
    bay = chassis.devicebays.get()
    bay.installed_device = chassis
    assert "installed_device" in errors_of(bay)
    bay.installed_device = blade
    bay.full_clean()
    bay.save()
    assert Device.objects.get(pk=blade.pk).parent_device == chassis and make_device("x").parent_device is None
    assert "device" in errors_of(DeviceBay(device=make_device("y"), name="bay"))
