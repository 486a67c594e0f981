"""Nautobot's documented example jobs run with only their import lines changed."""
import pytest

from dcim.models import (
    Cable,
    ConsolePort,
    ConsoleServerPort,
    Device,
    DeviceRole,
    DeviceType,
    Manufacturer,
    PowerOutlet,
    PowerPort,
    Site,
)
from extras.models import Status
from netbox_userscripts.jobs.runner import run_job
from netbox_userscripts.loading.registry import registry

# Nautobot's "New Branch" and "Device validation" examples; the only change is the imports
# (nautobot.dcim.models -> dcim.models, nautobot.extras.models -> extras.models,
# nautobot.extras.jobs -> netbox_userscripts.jobs).
NAUTOBOT_EXAMPLES = '''
from django.utils.text import slugify

from dcim.models import ConsolePort, Device, DeviceRole, DeviceType, Manufacturer, PowerPort, Site
from extras.models import Status
from netbox_userscripts.jobs import *


class NewBranch(Job):

    class Meta:
        name = "New Branch"
        description = "Provision a new branch site"
        field_order = ['site_name', 'switch_count', 'switch_model']

    site_name = StringVar(
        description="Name of the new site"
    )
    switch_count = IntegerVar(
        description="Number of access switches to create"
    )
    manufacturer = ObjectVar(
        model=Manufacturer,
        required=False
    )
    switch_model = ObjectVar(
        description="Access switch model",
        model=DeviceType,
        query_params={
            'manufacturer_id': '$manufacturer'
        }
    )

    def run(self, data, commit):
        STATUS_PLANNED = Status.objects.get(slug='planned')

        # Create the new site
        site = Site(
            name=data['site_name'],
            slug=slugify(data['site_name']),
            status=STATUS_PLANNED,
        )
        site.validated_save()
        self.log_success(obj=site, message="Created new site")

        # Create access switches
        switch_role = DeviceRole.objects.get(name='Access Switch')
        for i in range(1, data['switch_count'] + 1):
            switch = Device(
                device_type=data['switch_model'],
                name=f'{site.slug}-switch{i}',
                site=site,
                status=STATUS_PLANNED,
                device_role=switch_role
            )
            switch.validated_save()
            self.log_success(obj=switch, message="Created new switch")

        # Generate a CSV table of new devices
        output = [
            'name,make,model'
        ]
        for switch in Device.objects.filter(site=site):
            attrs = [
                switch.name,
                switch.device_type.manufacturer.name,
                switch.device_type.model
            ]
            output.append(','.join(attrs))

        return '\\n'.join(output)


class DeviceConnectionsReport(Job):
    description = "Validate the minimum physical connections for each device"

    def test_console_connection(self):
        STATUS_ACTIVE = Status.objects.get(slug='active')

        # Check that every console port for every active device has a connection defined.
        for console_port in ConsolePort.objects.prefetch_related('device').filter(device__status=STATUS_ACTIVE):
            if console_port.connected_endpoint is None:
                self.log_failure(
                    obj=console_port.device,
                    message="No console connection defined for {}".format(console_port.name)
                )
            elif not console_port.connection_status:
                self.log_warning(
                    obj=console_port.device,
                    message="Console connection for {} marked as planned".format(console_port.name)
                )
            else:
                self.log_success(obj=console_port.device)

    def test_power_connections(self):
        STATUS_ACTIVE = Status.objects.get(slug='active')

        # Check that every active device has at least two connected power supplies.
        for device in Device.objects.filter(status=STATUS_ACTIVE):
            connected_ports = 0
            for power_port in PowerPort.objects.filter(device=device):
                if power_port.connected_endpoint is not None:
                    connected_ports += 1
                    if not power_port.connection_status:
                        self.log_warning(
                            obj=device,
                            message="Power connection for {} marked as planned".format(power_port.name)
                        )
            if connected_ports < 2:
                self.log_failure(
                    obj=device,
                    message="{} connected power supplies found (2 needed)".format(connected_ports)
                )
            else:
                self.log_success(obj=device)
'''


@pytest.fixture
def examples(userscripts, db):
    userscripts.load_module("nautobot_examples", NAUTOBOT_EXAMPLES)
    return registry


def test_new_branch(examples):
    maker = Manufacturer.objects.create(name="Cisco", slug="cisco")
    model = DeviceType.objects.create(manufacturer=maker, model="C9200-48P", slug="c9200-48p")
    DeviceRole.objects.create(name="Access Switch", slug="access-switch")
    job = examples.get_job("nautobot_examples.NewBranch")
    result = run_job(job, {"site_name": "Branch 7", "switch_count": 2, "manufacturer": maker, "switch_model": model})
    assert result.status == "completed", result.traceback
    site = Site.objects.get(slug="branch-7")
    assert site.status == "planned" and Status.objects.get(slug="planned") == site.status
    assert list(Device.objects.filter(site=site).values_list("name", "status")) == [
        ("branch-7-switch1", "planned"), ("branch-7-switch2", "planned")]
    assert result.output == "name,make,model\nbranch-7-switch1,Cisco,C9200-48P\nbranch-7-switch2,Cisco,C9200-48P"
    assert [e["message"] for e in result.log][:2] == ["Created new site", "Created new switch"]


def test_device_connections_report(examples):
    site = Site.objects.create(name="Ams", slug="ams")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    dtype = DeviceType.objects.create(manufacturer=maker, model="S1", slug="s1")
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")
    good = Device.objects.create(name="good", site=site, device_type=dtype, role=role)
    bad = Device.objects.create(name="bad", site=site, device_type=dtype, role=role)
    console_server = Device.objects.create(name="cs", site=site, device_type=dtype, role=role, status="offline")
    pdu = Device.objects.create(name="pdu", site=site, device_type=dtype, role=role, status="offline")
    Cable.objects.create(a_terminations=[ConsolePort.objects.create(device=good, name="con0")],
                         b_terminations=[ConsoleServerPort.objects.create(device=console_server, name="p1")])
    ConsolePort.objects.create(device=bad, name="con0")
    for n in (1, 2):
        Cable.objects.create(a_terminations=[PowerPort.objects.create(device=good, name=f"psu{n}")],
                             b_terminations=[PowerOutlet.objects.create(device=pdu, name=f"o{n}")])
    job = examples.get_job("nautobot_examples.DeviceConnectionsReport")
    result = run_job(job, {})
    assert result.status == "failed"
    failures = [(e["grouping"], e["message"]) for e in result.log if e["level"] == "failure"]
    assert failures == [("test_console_connection", "No console connection defined for con0"),
                        ("test_power_connections", "0 connected power supplies found (2 needed)")]
    assert {e["grouping"] for e in result.log} == {"test_console_connection", "test_power_connections"}
