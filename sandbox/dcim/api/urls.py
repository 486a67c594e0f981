"""URLs of ``/api/dcim/`` (namespace ``dcim-api``), with NetBox's endpoint names."""
from dcim.api import views
from netbox.api.routers import NetBoxRouter

ENDPOINTS = {
    "regions": views.RegionViewSet, "site-groups": views.SiteGroupViewSet, "sites": views.SiteViewSet,
    "locations": views.LocationViewSet,
    "rack-roles": views.RackRoleViewSet, "racks": views.RackViewSet, "manufacturers": views.ManufacturerViewSet,
    "device-types": views.DeviceTypeViewSet, "device-roles": views.DeviceRoleViewSet,
    "platforms": views.PlatformViewSet, "devices": views.DeviceViewSet, "interfaces": views.InterfaceViewSet,
    "console-ports": views.ConsolePortViewSet, "console-server-ports": views.ConsoleServerPortViewSet,
    "power-ports": views.PowerPortViewSet, "power-outlets": views.PowerOutletViewSet,
    "front-ports": views.FrontPortViewSet, "rear-ports": views.RearPortViewSet,
    "device-bays": views.DeviceBayViewSet, "module-bays": views.ModuleBayViewSet,
    "console-port-templates": views.ConsolePortTemplateViewSet,
    "console-server-port-templates": views.ConsoleServerPortTemplateViewSet,
    "power-port-templates": views.PowerPortTemplateViewSet, "power-outlet-templates": views.PowerOutletTemplateViewSet,
    "interface-templates": views.InterfaceTemplateViewSet, "front-port-templates": views.FrontPortTemplateViewSet,
    "rear-port-templates": views.RearPortTemplateViewSet, "device-bay-templates": views.DeviceBayTemplateViewSet,
    "module-bay-templates": views.ModuleBayTemplateViewSet, "power-panels": views.PowerPanelViewSet,
    "power-feeds": views.PowerFeedViewSet, "cables": views.CableViewSet,
    "cable-terminations": views.CableTerminationViewSet, "mac-addresses": views.MACAddressViewSet,
}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "dcim-api"
urlpatterns = router.urls
