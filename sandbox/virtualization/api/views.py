"""Viewsets of the virtualization app."""
from netbox.api.viewsets import model_viewset
from virtualization import models

ClusterTypeViewSet = model_viewset(models.ClusterType)
ClusterGroupViewSet = model_viewset(models.ClusterGroup)
ClusterViewSet = model_viewset(models.Cluster, prefetch=("scope",))
VirtualMachineViewSet = model_viewset(models.VirtualMachine)
VMInterfaceViewSet = model_viewset(models.VMInterface, prefetch=("tagged_vlans", "mac_addresses"))
