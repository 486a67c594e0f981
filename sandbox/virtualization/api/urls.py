"""URLs of ``/api/virtualization/`` (namespace ``virtualization-api``), with NetBox's endpoint names."""
from netbox.api.routers import NetBoxRouter
from virtualization.api import views

ENDPOINTS = {"cluster-types": views.ClusterTypeViewSet, "cluster-groups": views.ClusterGroupViewSet,
             "clusters": views.ClusterViewSet, "virtual-machines": views.VirtualMachineViewSet,
             "interfaces": views.VMInterfaceViewSet}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "virtualization-api"
urlpatterns = router.urls
