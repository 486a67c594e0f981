"""Serializers of the ipam app, in NetBox's shape (see ``netbox.api.serializers``).

Prefixes and addresses are written as text (``"10.1.0.0/24"``) and read back in netaddr's
canonical form; ``family`` reads as ``{"value": 4, "label": "IPv4"}``. An address's
interface is ``assigned_object_type`` (``"dcim.interface"`` or ``"virtualization.vminterface"``)
plus ``assigned_object_id``; a prefix's or VLAN group's scope likewise (``scope_type``, ``scope_id``).
"""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipam import models
from netbox.api.serializers import model_serializer

FAMILY_LABELS = {4: "IPv4", 6: "IPv6"}


@extend_schema_field({"type": "object", "nullable": True, "properties": {
    "value": {"type": "integer", "enum": [4, 6]}, "label": {"type": "string", "enum": ["IPv4", "IPv6"]}}})
class FamilyField(serializers.Field):
    """The address family, read-only, as NetBox shows it."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        value = obj.family
        return None if value is None else {"value": value, "label": FAMILY_LABELS.get(value, str(value))}


@extend_schema_field({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}})
class VIDRangesField(serializers.JSONField):
    """A VLAN group's ranges as NetBox writes them: ``[[1, 100], [200, 299]]`` (inclusive)."""


NAMED = ("name", "slug", "description")
VRFSerializer = model_serializer(models.VRF, ("name", "rd", "description"))
RIRSerializer = model_serializer(models.RIR, NAMED)
RoleSerializer = model_serializer(models.Role, NAMED)
AggregateSerializer = model_serializer(models.Aggregate, ("family", "prefix", "description"), family=FamilyField())
PrefixSerializer = model_serializer(models.Prefix, ("family", "prefix", "description"), family=FamilyField())
IPRangeSerializer = model_serializer(models.IPRange, ("family", "start_address", "end_address", "description"),
                                     family=FamilyField())
IPAddressSerializer = model_serializer(models.IPAddress, ("family", "address", "description"), family=FamilyField())
VLANGroupSerializer = model_serializer(models.VLANGroup, NAMED, vid_ranges=VIDRangesField(required=False))
VLANSerializer = model_serializer(models.VLAN, ("vid", "name", "description"))
ASNSerializer = model_serializer(models.ASN, ("asn", "description"))
