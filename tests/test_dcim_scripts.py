"""NetBox-style custom scripts on the dcim model, written to a userscripts folder and run with ``manage.py runjob``.

Each script is written as a NetBox 4.7 user would (``from extras.scripts import *``,
``Cable(a_terminations=..., b_terminations=...)``, ``rack.get_utilization()``, templates
instantiated by ``Device.save()``) and runs unchanged.
"""
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dcim.models import (
    Cable,
    CableTermination,
    Device,
    DeviceRole,
    DeviceType,
    FrontPort,
    Interface,
    Manufacturer,
    PortMapping,
    PowerFeed,
    PowerPanel,
    PowerPort,
    Rack,
    RearPort,
    Site,
)

CABLING = '''
from dcim.choices import CableTypeChoices, LinkStatusChoices
from dcim.models import Cable, Device, FrontPort, Interface
from extras.scripts import *


class CablePatchPanel(Script):
    class Meta:
        name = "Cable a switch to a patch panel"
        description = "Connect each interface of a switch to the next free front port of a patch panel"

    switch = ObjectVar(model=Device)
    panel = ObjectVar(model=Device)
    cable_type = ChoiceVar(choices=CableTypeChoices, default=CableTypeChoices.TYPE_CAT6)

    def run(self, data, commit):
        free = FrontPort.objects.filter(device=data["panel"], cable__isnull=True, mark_connected=False)
        ports = iter(free.order_by("name"))
        for interface in Interface.objects.filter(device=data["switch"], cable__isnull=True).order_by("name"):
            if interface.is_virtual:
                continue
            port = next(ports, None)
            if port is None:
                self.log_warning(f"No free front port left for {interface}", obj=interface)
                break
            cable = Cable(a_terminations=[interface], b_terminations=[port], type=data["cable_type"],
                          status=LinkStatusChoices.STATUS_PLANNED)
            cable.full_clean()
            cable.save()
            interface.refresh_from_db()
            peers = ", ".join(str(peer) for peer in interface.link_peers)
            self.log_success(f"{interface} ({interface.cable_end}) -> {peers}", obj=cable)
        trunks = Cable.objects.filter(terminations__rearport__device=data["panel"]).distinct()
        for cable in trunks:
            self.log_info(f"trunk {cable}: {cable.a_terminations} <> {cable.b_terminations}")
        return "\\n".join(f"{t.termination} {t.cable_end} {t.cable_id}"
                         for cable in Cable.objects.filter(type=data["cable_type"]) for t in cable.terminations.all())
'''

RACK_REPORT = '''
from dcim.choices import PowerFeedStatusChoices
from dcim.models import PowerFeed, Rack, Site
from extras.scripts import *


class RackPowerReport(Script):
    class Meta:
        name = "Rack space and power"
        read_only = True

    site = ObjectVar(model=Site, required=False)
    threshold = IntegerVar(default=80, min_value=1, max_value=100)

    def run(self, data, commit):
        racks = Rack.objects.filter(site=data["site"]) if data["site"] else Rack.objects.all()
        rows = ["rack,units,free,space %,power %"]
        for rack in racks.order_by("name"):
            space, power = rack.get_utilization(), rack.get_power_utilization()
            free = rack.get_available_units(u_height=1, rack_face="front")
            rows.append(f"{rack.name},{rack.u_height},{len(free)},{space},{power}")
            if space >= data["threshold"]:
                self.log_warning(f"{rack} is {space}% full", obj=rack)
            else:
                self.log_success(f"{rack}: {space}% of space, {power}% of power", obj=rack)
        for feed in PowerFeed.objects.filter(status=PowerFeedStatusChoices.STATUS_ACTIVE):
            if not feed.link_peers:
                self.log_failure(f"Power feed {feed.power_panel} {feed} feeds nothing", obj=feed)
            else:
                self.log_info(f"{feed}: {feed.available_power} W for {feed.link_peers[0].device}")
        return "\\n".join(rows)
'''

FROM_TEMPLATES = '''
from dcim.models import (
    ConsolePortTemplate, Device, DeviceRole, DeviceType, FrontPortTemplate, InterfaceTemplate, Manufacturer,
    PortTemplateMapping, PowerOutletTemplate, PowerPortTemplate, RearPortTemplate, Site,
)
from extras.scripts import *


class NewPduModel(Script):
    class Meta:
        name = "Add a device type with its components, then a device of it"

    manufacturer = ObjectVar(model=Manufacturer)
    model = StringVar()
    outlets = IntegerVar(min_value=1, max_value=48)
    site = ObjectVar(model=Site)
    role = ObjectVar(model=DeviceRole)

    def run(self, data, commit):
        device_type = DeviceType(manufacturer=data["manufacturer"], model=data["model"],
                                 slug=data["model"].lower(), u_height=1)
        device_type.full_clean()
        device_type.save()
        ConsolePortTemplate.objects.create(device_type=device_type, name="console", type="rj-45")
        InterfaceTemplate.objects.create(device_type=device_type, name="mgmt", type="1000base-t", mgmt_only=True)
        inlet = PowerPortTemplate.objects.create(device_type=device_type, name="inlet", type="iec-60320-c20")
        for i in range(1, data["outlets"] + 1):
            PowerOutletTemplate.objects.create(device_type=device_type, name=f"outlet{i}", type="iec-60320-c13",
                                               power_port=inlet)
        rear = RearPortTemplate.objects.create(device_type=device_type, name="rear", type="mpo", positions=2)
        for position in (1, 2):
            front = FrontPortTemplate.objects.create(device_type=device_type, name=f"front{position}", type="lc")
            PortTemplateMapping.objects.create(front_port=front, rear_port=rear, rear_port_position=position)
        self.log_success(f"Created {device_type}", obj=device_type)

        device = Device(name=f"{data['model'].lower()}-1", device_type=device_type, site=data["site"],
                        role=data["role"])
        device.full_clean()
        device.save()
        counts = {name: getattr(device, name).count() for name in (
            "consoleports", "interfaces", "powerports", "poweroutlets", "frontports", "rearports")}
        self.log_success(f"Created {device}: {counts}", obj=device)
        fed = device.poweroutlets.filter(power_port__name="inlet").count()
        mapped = sorted((m.front_port.name, m.rear_port_position) for m in device.port_mappings.all())
        return f"{fed} outlets fed by the inlet; mappings {mapped}"
'''


def runjob(path, data, *options):
    out = io.StringIO()
    try:
        call_command("runjob", *options, "--data", json.dumps(data), path, stdout=out, no_color=True)
        return 0, out.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)


@pytest.fixture
def catalog(db):
    site = Site.objects.create(name="DC1", slug="dc1")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    role = DeviceRole.objects.create(name="Access", slug="access")
    switch_type = DeviceType.objects.create(manufacturer=maker, model="SW", slug="sw")
    panel_type = DeviceType.objects.create(manufacturer=maker, model="Panel", slug="panel")
    return {"site": site, "maker": maker, "role": role, "switch_type": switch_type, "panel_type": panel_type}


def test_cabling_script_with_terminations(userscripts, catalog):
    userscripts.load_module("cabling", CABLING)
    site, role = catalog["site"], catalog["role"]
    switch = Device.objects.create(name="sw1", site=site, role=role, device_type=catalog["switch_type"])
    for name, kind in (("eth0", "1000base-t"), ("eth1", "1000base-t"), ("eth2", "1000base-t"), ("vlan1", "virtual")):
        Interface.objects.create(device=switch, name=name, type=kind)
    panels = [Device.objects.create(name=f"pp{i}", site=site, role=role, device_type=catalog["panel_type"])
              for i in (1, 2)]
    for panel in panels:
        rear = RearPort.objects.create(device=panel, name="rear", type="mpo", positions=2)
        for position in (1, 2):
            front = FrontPort.objects.create(device=panel, name=f"front{position}", type="lc")
            PortMapping.objects.create(front_port=front, rear_port=rear, rear_port_position=position)
    trunk = Cable.objects.create(a_terminations=[panels[0].rearports.get()],
                                 b_terminations=[panels[1].rearports.get()])
    far = Interface.objects.create(device=panels[1], name="x", type="1000base-t")  # a server behind the far panel
    Cable.objects.create(a_terminations=[panels[1].frontports.get(name="front2")], b_terminations=[far])

    data = {"switch": switch.pk, "panel": panels[0].pk, "cable_type": "cat6"}
    code, out = runjob("local/cabling/CablePatchPanel", data)
    assert code == 0, out
    assert "eth0 (A) -> front1" in out and "eth1 (A) -> front2" in out
    assert "No free front port left for eth2" in out and "vlan1" not in out
    assert "Database changes have been reverted automatically" in out and Cable.objects.count() == 2

    code, out = runjob("local/cabling/CablePatchPanel", data, "--commit")
    assert code == 0, out
    assert sorted(CableTermination.objects.filter(cable__type="cat6").values_list("cable_end", flat=True)) == [
        "A", "A", "B", "B"]
    eth1 = Interface.objects.get(device=switch, name="eth1")
    assert eth1.cable.status == "planned" and eth1.link_peers == [FrontPort.objects.get(device=panels[0],
                                                                                        name="front2")]
    # front2 of panel 1 is position 2 of its rear port, cabled to panel 2's rear port, whose position 2 is front2
    assert eth1.connected_endpoints == [far] and far.connected_endpoint == eth1
    assert Interface.objects.get(device=switch, name="eth0").connected_endpoints == []  # nothing behind front1
    assert f"trunk #{trunk.pk}: [<RearPort: rear>] <> [<RearPort: rear>]" in out


def test_rack_and_power_report(userscripts, catalog):
    userscripts.load_module("rack_report", RACK_REPORT)
    site, role = catalog["site"], catalog["role"]
    rack = Rack.objects.create(site=site, name="R1", u_height=10)
    Rack.objects.create(site=site, name="R2", u_height=4)
    two_u = DeviceType.objects.create(manufacturer=catalog["maker"], model="2U", slug="2u", u_height=2)
    for position in (1, 3, 5, 7):
        Device.objects.create(name=f"s{position}", site=site, role=role, device_type=two_u, rack=rack,
                              position=position, face="front")
    pdu = Device.objects.create(name="pdu", site=site, role=role, device_type=catalog["switch_type"], rack=rack)
    inlet = PowerPort.objects.create(device=pdu, name="inlet", allocated_draw=1472)
    panel = PowerPanel.objects.create(site=site, name="PP1")
    feed = PowerFeed.objects.create(power_panel=panel, rack=rack, name="A", voltage=230, amperage=16)
    PowerFeed.objects.create(power_panel=panel, rack=rack, name="B", voltage=230, amperage=16)
    Cable.objects.create(a_terminations=[feed], b_terminations=[inlet])

    code, out = runjob("local/rack_report/RackPowerReport", {"site": site.pk})
    assert code == 1, out  # feed B is active and cabled to nothing: a failure
    assert "R1 is 80.0% full" in out and "R2: 0.0% of space, 0% of power" in out
    assert "Power feed PP1 B feeds nothing" in out and "A: 2944 W for pdu" in out
    assert "Output:\nrack,units,free,space %,power %\nR1,10,2,80.0,25.0\nR2,4,4,0.0,0" in out
    assert rack.get_available_units(u_height=2) == [9] and rack.get_available_units(u_height=3) == []
    lowest = [(u["id"], u["height"]) for u in rack.get_rack_units(expand_devices=False) if u["occupied"]]
    assert lowest == [(7, 2), (5, 2), (3, 2), (1, 2)]


def test_components_from_templates(userscripts, catalog):
    userscripts.load_module("new_pdu", FROM_TEMPLATES)
    data = {"manufacturer": catalog["maker"].pk, "model": "PDU8", "outlets": 8, "site": catalog["site"].pk,
            "role": catalog["role"].pk}
    code, out = runjob("local/new_pdu/NewPduModel", data, "--commit")
    assert code == 0, out
    assert ("Created pdu8-1: {'consoleports': 1, 'interfaces': 1, 'powerports': 1, 'poweroutlets': 8, "
            "'frontports': 2, 'rearports': 1}") in out
    assert "8 outlets fed by the inlet; mappings [('front1', 1), ('front2', 2)]" in out
    device = Device.objects.get(name="pdu8-1")
    assert device.interfaces.get().mgmt_only and device.consoleports.get().type == "rj-45"
    code, out = runjob("local/new_pdu/NewPduModel", data, "--commit")
    assert code == 1 and "already exists" in out.lower(), out  # full_clean of the second device type
    assert DeviceType.objects.filter(model="PDU8").count() == 1
