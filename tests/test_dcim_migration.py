"""Migration 0004: NetBox 3.2 cables and interface MAC texts become CableTermination and MACAddress rows."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("dcim", "0003_netbox4_model")]
AFTER = [("dcim", "0005_remove_netbox3_fields")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_cables_and_macs_move_to_netbox_4_rows():
    old = migrate(BEFORE)
    try:
        ContentType = old.get_model("contenttypes", "ContentType")
        site = old.get_model("dcim", "Site").objects.create(name="S", slug="s")
        maker = old.get_model("dcim", "Manufacturer").objects.create(name="M", slug="m")
        dtype = old.get_model("dcim", "DeviceType").objects.create(manufacturer=maker, model="T", slug="t")
        role = old.get_model("dcim", "DeviceRole").objects.create(name="R", slug="r")
        Device = old.get_model("dcim", "Device")
        sw1, sw2 = (Device.objects.create(name=n, site=site, device_type=dtype, role=role) for n in ("sw1", "sw2"))
        Interface = old.get_model("dcim", "Interface")
        a = Interface.objects.create(device=sw1, name="eth0", type="1000base-t", mac_address="00-11-22-aa-bb-cc")
        b = Interface.objects.create(device=sw2, name="eth0", type="1000base-t", mac_address="")
        console = old.get_model("dcim", "ConsolePort").objects.create(device=sw1, name="con0")
        server = old.get_model("dcim", "ConsoleServerPort").objects.create(device=sw2, name="p1")
        iface_type, _ = ContentType.objects.get_or_create(app_label="dcim", model="interface")
        cp_type, _ = ContentType.objects.get_or_create(app_label="dcim", model="consoleport")
        csp_type, _ = ContentType.objects.get_or_create(app_label="dcim", model="consoleserverport")
        Cable = old.get_model("dcim", "Cable")
        first = Cable.objects.create(termination_a_type=iface_type, termination_a_id=a.pk,
                                     termination_b_type=iface_type, termination_b_id=b.pk, label="uplink")
        Interface.objects.filter(pk__in=[a.pk, b.pk]).update(cable=first)
        second = Cable.objects.create(termination_a_type=cp_type, termination_a_id=console.pk,
                                      termination_b_type=csp_type, termination_b_id=server.pk)
    finally:
        new = migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # the test database ends up at the latest

    from dcim.models import Cable as NewCable
    from dcim.models import ConsolePort, ConsoleServerPort
    from dcim.models import Interface as NewInterface

    cable = NewCable.objects.get(pk=first.pk)
    a, b = NewInterface.objects.get(pk=a.pk), NewInterface.objects.get(pk=b.pk)
    assert cable.a_terminations == [a] and cable.b_terminations == [b]
    assert (a.cable_end, b.cable_end) == ("A", "B") and a.link_peers == [b]
    assert cable.terminations.get(cable_end="A")._device_id == sw1.pk
    console = NewCable.objects.get(pk=second.pk)
    assert console.a_terminations == [ConsolePort.objects.get()]
    assert ConsoleServerPort.objects.get().connected_endpoint == ConsolePort.objects.get()
    assert a.mac_address == "00:11:22:AA:BB:CC" and a.primary_mac_address.assigned_object == a
    assert b.mac_address is None and new.get_model("dcim", "MACAddress").objects.count() == 1
