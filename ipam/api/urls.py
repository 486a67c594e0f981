"""URLs of ``/api/ipam/`` (namespace ``ipam-api``), with NetBox's endpoint names."""
from ipam.api import views
from netbox.api.routers import NetBoxRouter

ENDPOINTS = {"vrfs": views.VRFViewSet, "vlans": views.VLANViewSet, "prefixes": views.PrefixViewSet,
             "ip-addresses": views.IPAddressViewSet}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "ipam-api"
urlpatterns = router.urls
