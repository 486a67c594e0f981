"""Viewsets of the ipam app."""
from ipam import models
from netbox.api.viewsets import model_viewset

VRFViewSet = model_viewset(models.VRF)
VLANViewSet = model_viewset(models.VLAN)
PrefixViewSet = model_viewset(models.Prefix)
# The assigned interface is shown with its device: one prefetch for the page, not a query per row.
IPAddressViewSet = model_viewset(models.IPAddress, prefetch=("assigned_object__device__device_type__manufacturer",))
