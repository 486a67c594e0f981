"""URLs of ``/api/dcim/`` (namespace ``dcim-api``), with NetBox's endpoint names."""
from dcim.api import views
from netbox.api.routers import NetBoxRouter

ENDPOINTS = {
    "regions": views.RegionViewSet, "sites": views.SiteViewSet, "manufacturers": views.ManufacturerViewSet,
    "device-types": views.DeviceTypeViewSet, "device-roles": views.DeviceRoleViewSet,
    "platforms": views.PlatformViewSet, "devices": views.DeviceViewSet, "interfaces": views.InterfaceViewSet,
    "console-ports": views.ConsolePortViewSet, "console-server-ports": views.ConsoleServerPortViewSet,
    "power-ports": views.PowerPortViewSet, "power-outlets": views.PowerOutletViewSet, "cables": views.CableViewSet,
}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "dcim-api"
urlpatterns = router.urls
