"""pynetbox, unchanged, against a live test server: the calls NetBox users make from scripts."""
import pynetbox
import pytest

from dcim.models import Device
from tests.api_data import make_site

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nb(live_server, superuser, token_for):
    return pynetbox.api(live_server.url, token=token_for(superuser))


def test_status_and_version(nb):
    assert nb.version == "4.4"
    assert "netbox-version" in nb.status()


def test_create_single_and_list_then_read_nested(nb):
    site = nb.dcim.sites.create(name="DC1", slug="dc1", status="planned")
    maker = nb.dcim.manufacturers.create(name="Cisco", slug="cisco")
    device_type = nb.dcim.device_types.create(manufacturer=maker.id, model="C9200", slug="c9200")
    role = nb.dcim.device_roles.create(name="Access", slug="access")
    devices = nb.dcim.devices.create([{"name": f"sw{i}", "site": site.id, "device_type": device_type.id,
                                       "role": role.id} for i in range(3)])
    assert [d.name for d in devices] == ["sw0", "sw1", "sw2"] and Device.objects.count() == 3
    device = nb.dcim.devices.get(name="sw1")
    assert device.site.name == "DC1" and str(device.status) == "Active" and device.status.value == "active"
    assert device.device_type.manufacturer.slug == "cisco"
    assert device.site.status.value == "planned"  # not in the brief form: pynetbox fetches the site's url
    assert nb.dcim.devices.get(99999) is None


def test_all_over_several_pages_filter_get_count(nb, settings):
    make_site(devices=12)
    make_site("DC2", devices=0)
    settings.MAX_PAGE_SIZE = 5
    assert sorted(d.name for d in nb.dcim.devices.all()) == sorted(f"sw{i}" for i in range(12))
    Device.objects.filter(name__in=["sw1", "sw2", "sw3"]).update(status="offline")
    offline = nb.dcim.devices.filter(status="offline", site="dc1")
    assert sorted(d.name for d in offline) == ["sw1", "sw2", "sw3"]
    assert len(list(nb.dcim.devices.filter(name__ic="SW1"))) == 3  # sw1, sw10, sw11
    assert nb.dcim.devices.count() == 12 and nb.dcim.devices.count(status="offline") == 3
    assert nb.dcim.devices.get(name="sw7").id == Device.objects.get(name="sw7").pk
    assert len(nb.dcim.sites.filter(q="DC")) == 2


def test_record_save_and_list_update_and_delete(nb):
    make_site(devices=4)
    device = nb.dcim.devices.get(name="sw0")
    device.status = "offline"
    device.serial = "FOC123"
    assert device.save() is True
    assert Device.objects.filter(name="sw0", status="offline", serial="FOC123").exists()
    pks = sorted(Device.objects.values_list("pk", flat=True))
    updated = nb.dcim.devices.update([{"id": pk, "status": "planned"} for pk in pks[1:]])
    assert sorted(d.status.value for d in updated) == ["planned"] * 3
    assert nb.dcim.devices.delete(pks[2:]) is True
    assert sorted(Device.objects.values_list("pk", flat=True)) == pks[:2]


def test_choices_and_errors(nb):
    choices = nb.dcim.devices.choices()
    assert {"value": "active", "display_name": "Active"} in choices["status"]
    with pytest.raises(pynetbox.RequestError) as error:
        nb.dcim.sites.create(name="X", slug="x", status="sleeping")
    assert error.value.req.status_code == 400 and "status" in error.value.error


def test_ipam(nb):
    prefix = nb.ipam.prefixes.create(prefix="10.1.0.0/24", status="active")
    assert prefix.family.value == 4 and str(prefix) == "10.1.0.0/24"
    nb.ipam.ip_addresses.create([{"address": f"10.1.0.{i}/24"} for i in (1, 2)])
    assert [ip.address for ip in nb.ipam.ip_addresses.filter(parent="10.1.0.0/16")] == ["10.1.0.1/24", "10.1.0.2/24"]
