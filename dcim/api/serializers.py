"""Serializers of the dcim app, in NetBox's shape (see ``netbox.api.serializers``).

Cables are read and written both as NetBox 4 does (``a_terminations``/``b_terminations``:
lists of ``{"object_type": "dcim.interface", "object_id": 1}``) and as older NetBox did
(``termination_a_type``/``termination_a_id``).
"""
from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from dcim import models
from netbox.api.fields import ContentTypeField, RelatedObjectField
from netbox.api.serializers import NetBoxModelSerializer, model_serializer

NAMED = ("name", "slug", "description")
RegionSerializer = model_serializer(models.Region, NAMED)
SiteSerializer = model_serializer(models.Site, NAMED)
ManufacturerSerializer = model_serializer(models.Manufacturer, NAMED)
DeviceTypeSerializer = model_serializer(models.DeviceType, ("manufacturer", "model", "slug", "description"))
DeviceRoleSerializer = model_serializer(models.DeviceRole, ("name", "slug", "color", "description"))
PlatformSerializer = model_serializer(models.Platform, NAMED)


class DeviceSerializer(NetBoxModelSerializer):
    primary_ip = RelatedObjectField(read_only=True, model="ipam.IPAddress")

    class Meta:
        model = models.Device
        fields = "__all__"
        brief_fields = ("name", "description")

    def to_internal_value(self, data):
        # NetBox before 4.0 (and scripts written for it) called the role ``device_role``.
        if isinstance(data, dict) and "device_role" in data and "role" not in data:
            data = {("role" if k == "device_role" else k): v for k, v in data.items()}
        return super().to_internal_value(data)


class ComponentSerializer(NetBoxModelSerializer):
    """A device's port: its cable, whether it is taken, and the port at the cable's other end."""

    cable = RelatedObjectField(read_only=True, model=models.Cable)
    connected_endpoint = RelatedObjectField(read_only=True)
    connected_endpoint_type = serializers.SerializerMethodField()
    _occupied = serializers.BooleanField(read_only=True)

    class Meta:
        fields = "__all__"
        brief_fields = ("device", "name", "description", "cable", "_occupied")

    def get_connected_endpoint_type(self, obj) -> str | None:
        peer = obj.connected_endpoint
        return None if peer is None else f"{peer._meta.app_label}.{peer._meta.model_name}"


PORT_BRIEF = ComponentSerializer.Meta.brief_fields
InterfaceSerializer = model_serializer(models.Interface, PORT_BRIEF, base=ComponentSerializer)
ConsolePortSerializer = model_serializer(models.ConsolePort, PORT_BRIEF, base=ComponentSerializer)
ConsoleServerPortSerializer = model_serializer(models.ConsoleServerPort, PORT_BRIEF, base=ComponentSerializer)
PowerPortSerializer = model_serializer(models.PowerPort, PORT_BRIEF, base=ComponentSerializer)
PowerOutletSerializer = model_serializer(models.PowerOutlet, PORT_BRIEF, base=ComponentSerializer)


class TerminationSerializer(serializers.Serializer):
    """One end of a cable as NetBox 4 writes it: ``{"object_type": "dcim.interface", "object_id": 1}``."""

    object_type = ContentTypeField(queryset=ContentType.objects.all())
    object_id = serializers.IntegerField(min_value=1)


class CableSerializer(NetBoxModelSerializer):
    termination_a_type = ContentTypeField(queryset=ContentType.objects.all(), required=False)
    termination_b_type = ContentTypeField(queryset=ContentType.objects.all(), required=False)
    termination_a_id = serializers.IntegerField(min_value=1, required=False)
    termination_b_id = serializers.IntegerField(min_value=1, required=False)
    termination_a = RelatedObjectField(read_only=True)
    termination_b = RelatedObjectField(read_only=True)
    # Written here, read from ``to_representation`` (the model's ends are ports, not these dicts).
    a_terminations = TerminationSerializer(many=True, required=False, write_only=True, max_length=1, min_length=1)
    b_terminations = TerminationSerializer(many=True, required=False, write_only=True, max_length=1, min_length=1)

    class Meta:
        model = models.Cable
        fields = "__all__"
        brief_fields = ("label", "description")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.nested:
            for side in ("a", "b"):
                end = data.get(f"termination_{side}")
                data[f"{side}_terminations"] = [] if end is None else [{
                    "object_type": data[f"termination_{side}_type"],
                    "object_id": data[f"termination_{side}_id"],
                    "object": end,
                }]
        return data

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        for side in ("a", "b"):
            ends = attrs.pop(f"{side}_terminations", None)
            if ends:
                attrs[f"termination_{side}_type"] = ends[0]["object_type"]
                attrs[f"termination_{side}_id"] = ends[0]["object_id"]
            elif self.instance is None and f"termination_{side}_id" not in attrs:
                raise serializers.ValidationError({f"{side}_terminations": ["A cable needs one port at each end."]})
        return attrs
