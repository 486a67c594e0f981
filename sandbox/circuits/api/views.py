"""Viewsets of the circuits app."""
from circuits import models
from dcim.api.views import PEERS
from netbox.api.viewsets import model_viewset

ProviderViewSet = model_viewset(models.Provider, prefetch=("asns",))
ProviderAccountViewSet = model_viewset(models.ProviderAccount)
ProviderNetworkViewSet = model_viewset(models.ProviderNetwork)
CircuitTypeViewSet = model_viewset(models.CircuitType)
CircuitViewSet = model_viewset(models.Circuit, select=("termination_a__circuit__provider", "termination_a__cable",
                                                        "termination_z__circuit__provider", "termination_z__cable"))
CircuitTerminationViewSet = model_viewset(models.CircuitTermination, select=("circuit__provider", "cable"),
                                          prefetch=("termination", *PEERS))
