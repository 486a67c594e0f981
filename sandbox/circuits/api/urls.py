"""URLs of ``/api/circuits/`` (namespace ``circuits-api``), with NetBox's endpoint names."""
from circuits.api import views
from netbox.api.routers import NetBoxRouter

ENDPOINTS = {"providers": views.ProviderViewSet, "provider-accounts": views.ProviderAccountViewSet,
             "provider-networks": views.ProviderNetworkViewSet, "circuit-types": views.CircuitTypeViewSet,
             "circuits": views.CircuitViewSet, "circuit-terminations": views.CircuitTerminationViewSet}

router = NetBoxRouter()
for prefix, viewset in ENDPOINTS.items():
    router.register(prefix, viewset)

app_name = "circuits-api"
urlpatterns = router.urls
