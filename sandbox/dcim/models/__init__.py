"""The dcim app's models, importable as ``dcim.models.Device`` etc. (NetBox 4.7's names)."""
from dcim.models.bays import DeviceBay, ModuleBay
from dcim.models.cables import Cable, CableTermination
from dcim.models.device_component_templates import (
    ConsolePortTemplate,
    ConsoleServerPortTemplate,
    DeviceBayTemplate,
    FrontPortTemplate,
    InterfaceTemplate,
    ModuleBayTemplate,
    PortTemplateMapping,
    PowerOutletTemplate,
    PowerPortTemplate,
    RearPortTemplate,
)
from dcim.models.device_components import (
    CabledObjectModel,
    ConsolePort,
    ConsoleServerPort,
    Interface,
    PathEndpoint,
    PowerOutlet,
    PowerPort,
)
from dcim.models.devices import Device, DeviceRole, DeviceType, Manufacturer, Platform
from dcim.models.mac import MACAddress, PrimaryMACAddressMixin
from dcim.models.pass_through import FrontPort, PortMapping, RearPort
from dcim.models.power import PowerFeed, PowerPanel
from dcim.models.racks import Rack, RackRole
from dcim.models.sites import Location, Region, Site, SiteGroup

__all__ = [
    "Cable", "CableTermination", "CabledObjectModel", "ConsolePort", "ConsolePortTemplate", "ConsoleServerPort",
    "ConsoleServerPortTemplate", "Device", "DeviceBay", "DeviceBayTemplate", "DeviceRole", "DeviceType", "FrontPort",
    "FrontPortTemplate", "Interface", "InterfaceTemplate", "Location", "MACAddress", "Manufacturer", "ModuleBay",
    "ModuleBayTemplate", "PathEndpoint", "Platform", "PortMapping", "PortTemplateMapping", "PowerFeed",
    "PowerOutlet", "PowerOutletTemplate", "PowerPanel", "PowerPort", "PowerPortTemplate", "PrimaryMACAddressMixin",
    "Rack", "RackRole", "RearPort", "RearPortTemplate", "Region", "Site", "SiteGroup",
]
