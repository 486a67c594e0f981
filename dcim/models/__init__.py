"""The dcim app's models, importable as ``dcim.models.Device`` etc."""
from dcim.models.cables import Cable
from dcim.models.components import ConsolePort, ConsoleServerPort, Interface, PowerOutlet, PowerPort
from dcim.models.devices import Device, DeviceRole, DeviceType, Manufacturer, Platform
from dcim.models.sites import Region, Site

__all__ = [
    "Cable", "ConsolePort", "ConsoleServerPort", "Device", "DeviceRole", "DeviceType", "Interface", "Manufacturer",
    "Platform", "PowerOutlet", "PowerPort", "Region", "Site",
]
