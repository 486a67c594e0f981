"""Viewsets of the dcim app: querysets joined deep enough that a page costs a fixed number of queries."""
from dcim import models
from netbox.api.viewsets import model_viewset

# A port's brief form shows its device, whose name falls back to its type and manufacturer,
# and its peer across the cable; joining and prefetching these keeps a page's queries fixed.
PORT_RELATED = ("device__device_type__manufacturer",)
PORT_PREFETCH = ("cable__termination_a__device", "cable__termination_b__device")

RegionViewSet = model_viewset(models.Region)
SiteViewSet = model_viewset(models.Site)
ManufacturerViewSet = model_viewset(models.Manufacturer)
DeviceTypeViewSet = model_viewset(models.DeviceType)
DeviceRoleViewSet = model_viewset(models.DeviceRole)
PlatformViewSet = model_viewset(models.Platform)
DeviceViewSet = model_viewset(models.Device, select=("device_type__manufacturer",))
InterfaceViewSet = model_viewset(models.Interface, PORT_RELATED, PORT_PREFETCH)
ConsolePortViewSet = model_viewset(models.ConsolePort, PORT_RELATED, PORT_PREFETCH)
ConsoleServerPortViewSet = model_viewset(models.ConsoleServerPort, PORT_RELATED, PORT_PREFETCH)
PowerPortViewSet = model_viewset(models.PowerPort, PORT_RELATED, PORT_PREFETCH)
PowerOutletViewSet = model_viewset(models.PowerOutlet, PORT_RELATED, PORT_PREFETCH)
CableViewSet = model_viewset(models.Cable, prefetch=("termination_a__device", "termination_b__device"))
