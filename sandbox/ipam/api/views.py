"""Viewsets of the ipam app."""
from django.contrib.contenttypes.prefetch import GenericPrefetch

from dcim.models import Interface
from ipam import models
from ipam.api.available import AvailableIPsMixin, AvailablePrefixesMixin, AvailableVLANsMixin
from netbox.api.viewsets import model_viewset
from virtualization.models import VMInterface

VRFViewSet = model_viewset(models.VRF)
RIRViewSet = model_viewset(models.RIR)
RoleViewSet = model_viewset(models.Role)
AggregateViewSet = model_viewset(models.Aggregate)
PrefixViewSet = model_viewset(models.Prefix, prefetch=("scope",), mixins=(AvailablePrefixesMixin,))
IPRangeViewSet = model_viewset(models.IPRange, mixins=(AvailableIPsMixin,))
# The assigned interface is shown with its device or VM: one prefetch per kind for the page, not a query per row.
IPAddressViewSet = model_viewset(models.IPAddress, prefetch=(GenericPrefetch("assigned_object", [
    Interface.objects.select_related("device__device_type__manufacturer"),
    VMInterface.objects.select_related("virtual_machine")]),))
VLANGroupViewSet = model_viewset(models.VLANGroup, prefetch=("scope",), mixins=(AvailableVLANsMixin,))
VLANViewSet = model_viewset(models.VLAN)
ASNViewSet = model_viewset(models.ASN, prefetch=("sites",))
