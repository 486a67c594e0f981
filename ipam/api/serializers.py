"""Serializers of the ipam app, in NetBox's shape (see ``netbox.api.serializers``).

Prefixes and addresses are written as text (``"10.1.0.0/24"``) and read back in netaddr's
canonical form; ``family`` reads as ``{"value": 4, "label": "IPv4"}``. An address's
interface is ``assigned_object_type`` (``"dcim.interface"``) plus ``assigned_object_id``.
"""
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ipam import models
from netbox.api.fields import ContentTypeField, RelatedObjectField
from netbox.api.serializers import NetBoxModelSerializer, model_serializer

FAMILY_LABELS = {4: "IPv4", 6: "IPv6"}


@extend_schema_field({"type": "object", "nullable": True, "properties": {
    "value": {"type": "integer", "enum": [4, 6]}, "label": {"type": "string", "enum": ["IPv4", "IPv6"]}}})
class FamilyField(serializers.Field):
    """The address family, read-only, as NetBox shows it."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"value": value, "label": FAMILY_LABELS.get(value, str(value))}


VRFSerializer = model_serializer(models.VRF, ("name", "rd", "description"))
VLANSerializer = model_serializer(models.VLAN, ("vid", "name", "description"))
PrefixSerializer = model_serializer(models.Prefix, ("family", "prefix", "description"), family=FamilyField())


class IPAddressSerializer(NetBoxModelSerializer):
    family = FamilyField()
    assigned_object_type = ContentTypeField(queryset=ContentType.objects.filter(app_label="dcim", model="interface"),
                                            required=False, allow_null=True)
    assigned_object = RelatedObjectField(read_only=True, model="dcim.Interface")

    class Meta:
        model = models.IPAddress
        fields = "__all__"
        brief_fields = ("family", "address", "description")
