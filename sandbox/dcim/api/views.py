"""Viewsets of the dcim app: querysets joined deep enough that a page costs a fixed number of queries."""
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Prefetch

from circuits.models import CircuitTermination
from dcim import models
from netbox.api.viewsets import model_viewset
from virtualization.models import VMInterface

# A component's brief form shows its device, whose name falls back to its type and manufacturer;
# a cabled one also shows the objects at the cable's other end, each with its device and cable.
DEVICE = ("device__device_type__manufacturer",)
PORTS = (models.Interface, models.ConsolePort, models.ConsoleServerPort, models.PowerPort, models.PowerOutlet,
         models.FrontPort, models.RearPort)
CABLE_ENDS = [model.objects.select_related(*DEVICE, "cable") for model in PORTS] + [
    models.PowerFeed.objects.select_related("power_panel", "cable"),
    CircuitTermination.objects.select_related("circuit__provider", "cable")]
MAC_OWNERS = [models.Interface.objects.select_related(*DEVICE), VMInterface.objects.select_related("virtual_machine")]


def terminations(lookup):
    """A prefetch of a cable's termination rows at ``lookup``, with the object each ends at."""
    rows = models.CableTermination.objects.prefetch_related(GenericPrefetch("termination", CABLE_ENDS))
    return Prefetch(lookup, queryset=rows)


PEERS = (terminations("cable__terminations"),)
TEMPLATE = ("device_type__manufacturer",)

RegionViewSet = model_viewset(models.Region)
SiteGroupViewSet = model_viewset(models.SiteGroup)
SiteViewSet = model_viewset(models.Site)
LocationViewSet = model_viewset(models.Location)
RackRoleViewSet = model_viewset(models.RackRole)
RackViewSet = model_viewset(models.Rack)
ManufacturerViewSet = model_viewset(models.Manufacturer)
DeviceTypeViewSet = model_viewset(models.DeviceType)
DeviceRoleViewSet = model_viewset(models.DeviceRole)
PlatformViewSet = model_viewset(models.Platform)
DeviceViewSet = model_viewset(models.Device, select=("device_type__manufacturer",), prefetch=("parent_bay__device",))
InterfaceViewSet = model_viewset(models.Interface, DEVICE, (*PEERS, "mac_addresses", "tagged_vlans"))
ConsolePortViewSet = model_viewset(models.ConsolePort, DEVICE, PEERS)
ConsoleServerPortViewSet = model_viewset(models.ConsoleServerPort, DEVICE, PEERS)
PowerPortViewSet = model_viewset(models.PowerPort, DEVICE, PEERS)
PowerOutletViewSet = model_viewset(models.PowerOutlet, (*DEVICE, "power_port__device", "power_port__cable"), PEERS)
FrontPortViewSet = model_viewset(models.FrontPort, DEVICE, (*PEERS, "mappings"))
RearPortViewSet = model_viewset(models.RearPort, DEVICE, (*PEERS, "mappings"))
DeviceBayViewSet = model_viewset(models.DeviceBay, DEVICE)
ModuleBayViewSet = model_viewset(models.ModuleBay, DEVICE)
ConsolePortTemplateViewSet = model_viewset(models.ConsolePortTemplate, TEMPLATE)
ConsoleServerPortTemplateViewSet = model_viewset(models.ConsoleServerPortTemplate, TEMPLATE)
PowerPortTemplateViewSet = model_viewset(models.PowerPortTemplate, TEMPLATE)
PowerOutletTemplateViewSet = model_viewset(models.PowerOutletTemplate, TEMPLATE)
InterfaceTemplateViewSet = model_viewset(models.InterfaceTemplate, TEMPLATE)
FrontPortTemplateViewSet = model_viewset(models.FrontPortTemplate, TEMPLATE, ("mappings",))
RearPortTemplateViewSet = model_viewset(models.RearPortTemplate, TEMPLATE, ("mappings",))
DeviceBayTemplateViewSet = model_viewset(models.DeviceBayTemplate, TEMPLATE)
ModuleBayTemplateViewSet = model_viewset(models.ModuleBayTemplate, TEMPLATE)
PowerPanelViewSet = model_viewset(models.PowerPanel)
PowerFeedViewSet = model_viewset(models.PowerFeed, prefetch=PEERS)
CableViewSet = model_viewset(models.Cable, prefetch=(terminations("terminations"),))
CableTerminationViewSet = model_viewset(models.CableTermination, prefetch=(GenericPrefetch("termination", CABLE_ENDS),),
                                        read_only=True)
MACAddressViewSet = model_viewset(models.MACAddress, prefetch=(GenericPrefetch("assigned_object", MAC_OWNERS),))
