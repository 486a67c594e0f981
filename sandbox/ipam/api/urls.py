"""URLs of ``/api/ipam/`` (namespace ``ipam-api``), with NetBox's endpoint names."""
from ipam.api import views
from netbox.api.routers import NetBoxRouter

ENDPOINTS = {"vrfs": views.VRFViewSet, "rirs": views.RIRViewSet, "roles": views.RoleViewSet,
             "aggregates": views.AggregateViewSet, "prefixes": views.PrefixViewSet, "ip-ranges": views.IPRangeViewSet,
             "ip-addresses": views.IPAddressViewSet, "vlan-groups": views.VLANGroupViewSet, "vlans": views.VLANViewSet,
             "asns": views.ASNViewSet}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "ipam-api"
urlpatterns = router.urls
