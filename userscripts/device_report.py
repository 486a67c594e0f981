"""The "Device validation" example of Nautobot's jobs documentation: a read-only report.

No input and no ``run()``: two ``test_*`` methods check every active device's console and
power connections (through each port's ``connected_endpoints``) and log a failure per
offending object, so the result lists exactly what needs cabling. Nautobot's
``connected_endpoint`` and ``connection_status`` are spelled as NetBox 4 has them
(``connected_endpoints``, the cable's status), so it runs in the sandbox and inside NetBox.

    manage.py runjob local/device_report/DeviceConnectionsReport
    netbox runjob device_report.DeviceConnectionsReport    (inside NetBox)
"""
from dcim.choices import DeviceStatusChoices, LinkStatusChoices
from dcim.models import ConsolePort, Device, PowerPort
from netbox_userscripts.jobs import Job

name = "Device validation"


class DeviceConnectionsReport(Job):
    description = "Validate the minimum physical connections for each device"

    class Meta:
        name = "Device connections"
        read_only = True

    def test_console_connection(self):
        # Check that every console port for every active device has a connection defined.
        ports = ConsolePort.objects.select_related("device", "cable").filter(
            device__status=DeviceStatusChoices.STATUS_ACTIVE)
        for console_port in ports:
            if not console_port.connected_endpoints:
                self.log_failure(
                    obj=console_port.device,
                    message="No console connection defined for {}".format(console_port.name)
                )
            elif console_port.cable.status != LinkStatusChoices.STATUS_CONNECTED:
                self.log_warning(
                    obj=console_port.device,
                    message="Console connection for {} marked as planned".format(console_port.name)
                )
            else:
                self.log_success(obj=console_port.device)

    def test_power_connections(self):
        # Check that every active device has at least two connected power supplies.
        for device in Device.objects.filter(status=DeviceStatusChoices.STATUS_ACTIVE):
            connected_ports = 0
            for power_port in PowerPort.objects.select_related("cable").filter(device=device):
                if power_port.connected_endpoints:
                    connected_ports += 1
                    if power_port.cable.status != LinkStatusChoices.STATUS_CONNECTED:
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
