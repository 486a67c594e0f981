"""bulk_edit on Devices: validation with the new values, foreign keys, no query per object."""
import pytest
from django.core.exceptions import ValidationError

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from netbox_userscripts import bulk_edit


@pytest.fixture
def devices(db):
    site = Site.objects.create(name="Ams", slug="ams")
    other = Site.objects.create(name="Fra", slug="fra")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    dtype = DeviceType.objects.create(manufacturer=maker, model="S1", slug="s1")
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")
    Device.objects.create(name="dup", site=other, device_type=dtype, role=role)
    return [Device.objects.create(name=f"sw{i}", site=site, device_type=dtype, role=role) for i in range(50)]


def test_foreign_key_change_by_instance_and_by_pk(devices):
    spine = DeviceRole.objects.create(name="Spine", slug="spine")
    bulk_edit(Device.objects.filter(name__in=["sw1", "sw2"]), role=spine)
    assert set(Device.objects.filter(role=spine).values_list("name", flat=True)) == {"sw1", "sw2"}
    bulk_edit(Device.objects.filter(name="sw3"), role=spine.pk)
    assert Device.objects.get(name="sw3").role == spine


def test_unknown_foreign_key_and_bad_choice_name_the_field(devices):
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(Device.objects.all(), role=999_999)
    assert "role" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(Device.objects.all(), status="on-fire")
    assert "status" in excinfo.value.message_dict
    assert not Device.objects.exclude(status="active").exists()


def test_unique_name_per_site_is_checked_when_it_changes(devices):
    with pytest.raises(ValidationError):
        bulk_edit(Device.objects.filter(name="sw1"), site=Site.objects.get(slug="fra"), name="dup")
    assert Device.objects.get(name="sw1").site.slug == "ams"


def test_two_edited_objects_cannot_end_with_the_same_unique_value(devices):
    # validate_unique compares each object with the stored rows only; two sw* taking one name collided in the UPDATE
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(Device.objects.filter(name__in=["sw1", "sw2"]), name="twin")
    assert "would have the same" in str(excinfo.value) and not Device.objects.filter(name="twin").exists()
    bulk_edit(Device.objects.filter(name="sw1"), name="twin")  # one object: fine


def test_a_status_change_costs_no_query_per_object(devices, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        pks = bulk_edit(Device.objects.filter(site__slug="ams"), status="planned")
    assert len(pks) == 50
    assert Device.objects.filter(status="planned").count() == 50


def test_many_objects_are_written_exactly(devices):
    """Past 100 objects the primary keys go to the database as one value (json_each/unnest)."""
    extra = Device.objects.create(name="outside", site=Site.objects.get(slug="fra"),
                                  device_type=devices[0].device_type, role=devices[0].role)
    site = devices[0].site
    more = [Device(name=f"more{i}", site=site, device_type=devices[0].device_type, role=devices[0].role)
            for i in range(200)]
    Device.objects.bulk_create(more)
    pks = bulk_edit(Device.objects.filter(site=site), status="offline")
    assert len(pks) == 250
    assert Device.objects.filter(status="offline").count() == 250
    assert Device.objects.get(pk=extra.pk).status == "active"
