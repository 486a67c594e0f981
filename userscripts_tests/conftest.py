"""The shipped userscripts' tests, written with the test kit as an author would write them.

One line enables the kit; the fixtures below make the few objects the tests need.
"""

import pytest

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site

pytest_plugins = ["netbox_userscripts.testing"]




@pytest.fixture
def site(db):
    return Site.objects.create(name="AMS1", slug="ams1")


@pytest.fixture
def switch(site):
    """An active access switch at AMS1."""
    maker = Manufacturer.objects.create(name="Cisco", slug="cisco")
    return Device.objects.create(
        name="ams1-sw-01", site=site, role=DeviceRole.objects.create(name="Access", slug="access"),
        device_type=DeviceType.objects.create(manufacturer=maker, model="C9200", slug="c9200"))
