"""The data apps' models: validation messages, the netaddr fields, cables and free addresses."""
import netaddr
import pytest
from django.core.exceptions import ValidationError

from dcim.choices import DeviceStatusChoices, InterfaceTypeChoices, SiteStatusChoices
from dcim.models import (
    Cable,
    ConsolePort,
    ConsoleServerPort,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    Manufacturer,
    Platform,
    PowerOutlet,
    PowerPort,
    Region,
    Site,
)
from ipam.models import VLAN, VRF, IPAddress, Prefix
from tenancy.models import Tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return Site.objects.create(name="Amsterdam 1", slug="ams1")


@pytest.fixture
def device_type():
    maker = Manufacturer.objects.create(name="Juniper", slug="juniper")
    return DeviceType.objects.create(manufacturer=maker, model="EX4300", slug="ex4300")


@pytest.fixture
def role():
    return DeviceRole.objects.create(name="Access Switch", slug="access-switch")


@pytest.fixture
def make_device(site, device_type, role):
    def make(name, **kwargs):
        kwargs = {"site": site, "device_type": device_type, "role": role, **kwargs}
        return Device.objects.create(name=name, **kwargs)
    return make


def messages(exc_info):
    return [m for ms in exc_info.value.message_dict.values() for m in ms]


# Devices ------------------------------------------------------------------------------

def test_device_name_unique_per_site(make_device, site, device_type, role):
    make_device("sw1")
    duplicate = Device(name="sw1", site=site, device_type=device_type, role=role)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert messages(exc) == ["Device name must be unique per site: site Amsterdam 1 already has a device "
                             "named 'sw1'."]


def test_same_name_at_another_site_and_unnamed_devices_are_fine(make_device, device_type, role):
    make_device("sw1")
    other = Site.objects.create(name="Berlin", slug="ber1")
    Device(name="sw1", site=other, device_type=device_type, role=role).full_clean()
    make_device(None)
    Device(name=None, site=other, device_type=device_type, role=role).full_clean()


def test_device_role_alias_for_old_scripts(site, device_type, role):
    device = Device(name="sw9", site=site, device_type=device_type, device_role=role,
                    status=DeviceStatusChoices.STATUS_PLANNED)
    device.validated_save()
    assert device.role == role and device.device_role == role
    assert str(device) == device.display == "sw9"
    assert device.get_absolute_url() == f"/admin/dcim/device/{device.pk}/change/"


def test_unnamed_device_is_shown_by_its_type(make_device):
    device = make_device(None)
    assert str(device) == f"Juniper EX4300 ({device.pk})"


def test_bad_status_is_rejected(make_device):
    device = make_device("sw1")
    device.status = "broken"
    with pytest.raises(ValidationError) as exc:
        device.full_clean()
    assert "status" in exc.value.message_dict


def test_primary_ip_must_belong_to_the_device(make_device):
    device = make_device("sw1")
    other = make_device("sw2")
    iface = Interface.objects.create(device=other, name="eth0", type=InterfaceTypeChoices.TYPE_1GE_FIXED)
    ip = IPAddress.objects.create(address="10.0.0.5/24", assigned_object=iface)
    device.primary_ip4 = ip
    with pytest.raises(ValidationError) as exc:
        device.full_clean()
    assert exc.value.message_dict["primary_ip4"] == ["10.0.0.5/24 is not assigned to an interface of this device."]
    other.primary_ip4 = ip
    other.full_clean()
    other.primary_ip6 = ip
    with pytest.raises(ValidationError) as exc:
        other.full_clean()
    assert exc.value.message_dict["primary_ip6"] == ["10.0.0.5/24 is not an IPv6 address."]


def test_choice_sets():
    assert DeviceStatusChoices.STATUS_ACTIVE == "active"
    assert ("planned", "Planned") in list(SiteStatusChoices)
    assert "planned" in SiteStatusChoices.values()
    assert "1000base-t" in InterfaceTypeChoices.values()
    assert SiteStatusChoices.color_of("active") == "green"


def test_region_descendants():
    europe = Region.objects.create(name="Europe", slug="europe")
    west = Region.objects.create(name="West", slug="west", parent=europe)
    nl = Region.objects.create(name="NL", slug="nl", parent=west)
    assert set(europe.get_descendants()) == {west, nl}
    assert nl.get_ancestors() == [europe, west]
    europe.parent = nl
    with pytest.raises(ValidationError):
        europe.full_clean()


def test_platform_of_another_manufacturer_is_refused(make_device):
    other = Manufacturer.objects.create(name="Cisco", slug="cisco")
    device = make_device("sw1")
    device.platform = Platform.objects.create(name="IOS", slug="ios", manufacturer=other)
    with pytest.raises(ValidationError) as exc:
        device.full_clean()
    assert "platform" in exc.value.message_dict


# Prefixes and addresses -----------------------------------------------------------------

def test_prefix_host_bits():
    with pytest.raises(ValidationError) as exc:
        Prefix(prefix="10.0.0.1/24").full_clean()
    assert exc.value.message_dict["prefix"] == ["Prefix 10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24?"]


def test_malformed_prefix_message():
    prefix = Prefix(prefix="10.0.0.300/24")
    assert prefix.prefix == "10.0.0.300/24"  # kept as given, for the message
    with pytest.raises(ValidationError) as exc:
        prefix.full_clean()
    assert exc.value.message_dict["prefix"] == ["'10.0.0.300/24' is not a valid IP network"]


def test_malformed_ip_message():
    with pytest.raises(ValidationError) as exc:
        IPAddress(address="10.0.0.300/24").full_clean()
    assert exc.value.message_dict["address"] == ["'10.0.0.300/24' is not a valid IP address"]


@pytest.mark.parametrize("value", ["10.0.0.1", netaddr.IPAddress("10.0.0.1")])
def test_ip_without_mask_is_rejected(value):
    with pytest.raises(ValidationError) as exc:
        IPAddress(address=value).full_clean()
    [message] = exc.value.message_dict["address"]
    assert message.startswith("'10.0.0.1' has no mask")


def test_duplicate_prefix_and_ip_in_the_global_table():
    Prefix.objects.create(prefix="10.1.0.0/24")
    with pytest.raises(ValidationError, match="Duplicate prefix found in the global table: 10.1.0.0/24"):
        Prefix(prefix="10.1.0.0/24").full_clean()
    IPAddress.objects.create(address="10.1.0.7/24")
    with pytest.raises(ValidationError, match="Duplicate IP address found in the global table: 10.1.0.7/24"):
        IPAddress(address="10.1.0.7/32").full_clean()
    IPAddress(address="10.1.0.7/24", role="vip").full_clean()
    IPAddress(address="10.1.0.70/24").full_clean()
    vrf = VRF.objects.create(name="blue", enforce_unique=False)
    Prefix(prefix="10.1.0.0/24", vrf=vrf).full_clean()


@pytest.mark.parametrize("assigned", ["10.1.0.7/24", netaddr.IPNetwork("10.1.0.7/24")])
def test_field_round_trip(assigned):
    ip = IPAddress.objects.create(address=assigned)
    assert isinstance(ip.address, netaddr.IPNetwork)
    fresh = IPAddress.objects.get(pk=ip.pk)
    assert fresh.address == netaddr.IPNetwork("10.1.0.7/24") and fresh.address.prefixlen == 24
    assert str(fresh) == "10.1.0.7/24" and fresh.family == 4
    assert IPAddress.objects.filter(address=netaddr.IPNetwork("10.1.0.7/24")).get() == ip
    assert IPAddress.objects.filter(address="10.1.0.7/24").get() == ip
    assert not IPAddress.objects.filter(address="not an address").exists()

    prefix = Prefix.objects.create(prefix=netaddr.IPNetwork("2001:DB8:0::/48"))
    fresh = Prefix.objects.get(pk=prefix.pk)
    assert fresh.prefix == netaddr.IPNetwork("2001:db8::/48") and fresh.family == 6
    assert Prefix.objects.filter(prefix="2001:0db8::/48").get() == prefix


def test_deferred_address_loads():
    IPAddress.objects.create(address="10.9.0.1/24", dns_name="a.example.com")
    ip = IPAddress.objects.only("dns_name").get()
    assert ip.address == netaddr.IPNetwork("10.9.0.1/24")


def test_available_ips():
    prefix = Prefix.objects.create(prefix="10.2.0.0/29")
    IPAddress.objects.create(address="10.2.0.1/29")
    IPAddress.objects.create(address="10.2.0.3/29")
    IPAddress.objects.create(address="10.2.0.9/29")  # outside
    IPAddress.objects.create(address="10.20.0.2/29")  # outside, same text start
    vrf = VRF.objects.create(name="red")
    IPAddress.objects.create(address="10.2.0.2/29", vrf=vrf)  # another table
    assert [str(ip) for ip in prefix.get_child_ips()] == ["10.2.0.1/29", "10.2.0.3/29"]
    available = prefix.get_available_ips()
    assert isinstance(available, netaddr.IPSet)
    assert [str(ip) for ip in available] == ["10.2.0.2", "10.2.0.4", "10.2.0.5", "10.2.0.6"]
    assert prefix.get_first_available_ip() == "10.2.0.2/29"
    assert round(prefix.get_utilization(), 2) == 33.33  # a float percentage, as in NetBox
    pool = Prefix.objects.create(prefix="10.3.0.0/30", is_pool=True)
    assert pool.get_available_ips().size == 4


def test_child_prefixes_of_a_container():
    parent = Prefix.objects.create(prefix="10.0.0.0/8", status="container")
    child = Prefix.objects.create(prefix="10.4.0.0/16", vrf=VRF.objects.create(name="green"))
    Prefix.objects.create(prefix="11.0.0.0/16")
    assert list(parent.get_child_prefixes()) == [child]
    assert parent.get_utilization() == 0


def test_network_id_cannot_be_assigned_to_an_interface(make_device):
    iface = Interface.objects.create(device=make_device("sw1"), name="eth0", type="1000base-t")
    with pytest.raises(ValidationError, match="network ID"):
        IPAddress(address="10.5.0.0/24", assigned_object=iface).full_clean()
    IPAddress(address="10.5.0.0/24").full_clean()


def test_vlan_vid_range():
    with pytest.raises(ValidationError) as exc:
        VLAN(vid=4095, name="too-high").full_clean()
    assert "vid" in exc.value.message_dict


# Cables ------------------------------------------------------------------------------------

def test_connected_endpoint_across_a_cable(make_device):
    sw1, sw2 = make_device("sw1"), make_device("sw2")
    a = Interface.objects.create(device=sw1, name="xe-0/0/0", type="10gbase-x-sfpp")
    b = Interface.objects.create(device=sw2, name="xe-0/0/0", type="10gbase-x-sfpp")
    c = Interface.objects.create(device=sw2, name="xe-0/0/1", type="10gbase-x-sfpp")
    assert a.connected_endpoint is None and a.connection_status is None
    cable = Cable(termination_a=a, termination_b=b)
    cable.full_clean()
    cable.save()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.connected_endpoint == b and b.connected_endpoint == a and a.connection_status is True
    assert cable.a_terminations == [a] and cable.b_terminations == [b]

    cable.termination_b = c  # moving an end frees the old port
    cable.save()
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.cable is None and c.connected_endpoint == a

    cable.delete()
    a.refresh_from_db()
    assert a.cable is None and a.connected_endpoint is None


def test_console_and_power_cables(make_device):
    device, server = make_device("r1"), make_device("cs1")
    console = ConsolePort.objects.create(device=device, name="con0")
    server_port = ConsoleServerPort.objects.create(device=server, name="port1")
    Cable.objects.create(a_terminations=[console], b_terminations=[server_port], status="planned")
    console.refresh_from_db()
    assert console.connected_endpoint == server_port and console.connection_status is False
    power = PowerPort.objects.create(device=device, name="psu0")
    outlet = PowerOutlet.objects.create(device=server, name="out1")
    with pytest.raises(ValidationError, match="cannot be cabled"):
        Cable(termination_a=power, termination_b=console).full_clean()
    Cable.objects.create(termination_a=power, termination_b=outlet)
    assert PowerPort.objects.get(pk=power.pk).connected_endpoint == outlet


def test_a_port_takes_one_cable(make_device):
    sw1, sw2 = make_device("sw1"), make_device("sw2")
    a, b, c = (Interface.objects.create(device=d, name=n, type="1000base-t")
               for d, n in ((sw1, "ge-0"), (sw2, "ge-0"), (sw2, "ge-1")))
    Cable.objects.create(termination_a=a, termination_b=b)
    a.refresh_from_db()
    with pytest.raises(ValidationError, match="already has a cable"):
        Cable(termination_a=c, termination_b=a).full_clean()


def test_deleting_a_device_deletes_its_cables(make_device):
    sw1, sw2 = make_device("sw1"), make_device("sw2")
    a = Interface.objects.create(device=sw1, name="ge-0", type="1000base-t")
    b = Interface.objects.create(device=sw2, name="ge-0", type="1000base-t")
    Cable.objects.create(termination_a=a, termination_b=b)
    sw1.delete()
    assert not Cable.objects.exists()
    b.refresh_from_db()
    assert b.cable is None


def test_interface_name_unique_per_device(make_device):
    sw1 = make_device("sw1")
    Interface.objects.create(device=sw1, name="ge-0", type="1000base-t")
    with pytest.raises(ValidationError, match="Device sw1 already has a interface named 'ge-0'"):
        Interface(device=sw1, name="ge-0", type="1000base-t").full_clean()


def test_tenant_str():
    assert str(Tenant.objects.create(name="Acme", slug="acme")) == "Acme"
