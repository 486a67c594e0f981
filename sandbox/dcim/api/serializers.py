"""Serializers of the dcim app, in NetBox 4.7's shape (see ``netbox.api.serializers``).

Cables read and write ``a_terminations``/``b_terminations`` as lists of
``{"object_type": "dcim.interface", "object_id": 1}`` (reads add ``"object"``). Ports show
``cable``, ``cable_end``, ``link_peers`` and (endpoints) ``connected_endpoints``. Front and
rear ports read and write their mappings as ``rear_ports``/``front_ports`` lists.
"""
import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from dcim import models
from dcim.choices import CableEndChoices, LinkStatusChoices
from dcim.models.cables import COMPATIBLE_TERMINATION_TYPES
from dcim.models.mac import MAC_ADDRESS_ASSIGNMENT_MODELS, normalize_mac
from netbox.api.fields import ContentTypeField, RelatedObjectField
from netbox.api.serializers import (
    GenericObjectSerializer,
    NetBoxModelSerializer,
    django_errors_to_drf,
    model_serializer,
)

NAMED = ("name", "slug", "description")
RegionSerializer = model_serializer(models.Region, NAMED)
SiteGroupSerializer = model_serializer(models.SiteGroup, NAMED)
SiteSerializer = model_serializer(models.Site, NAMED)
LocationSerializer = model_serializer(models.Location, NAMED)
RackRoleSerializer = model_serializer(models.RackRole, NAMED)
RackSerializer = model_serializer(models.Rack, ("name", "description"))
ManufacturerSerializer = model_serializer(models.Manufacturer, NAMED)
DeviceTypeSerializer = model_serializer(models.DeviceType, ("manufacturer", "model", "slug", "description"))
DeviceRoleSerializer = model_serializer(models.DeviceRole, ("name", "slug", "color", "description"))
PlatformSerializer = model_serializer(models.Platform, NAMED)
PowerPanelSerializer = model_serializer(models.PowerPanel, ("name", "description"))


class DeviceSerializer(NetBoxModelSerializer):
    primary_ip = RelatedObjectField(read_only=True, model="ipam.IPAddress")
    parent_device = RelatedObjectField(read_only=True, model=models.Device)

    class Meta:
        model = models.Device
        fields = "__all__"
        brief_fields = ("name", "description")

    def to_internal_value(self, data):
        # NetBox before 4.0 (and scripts written for it) called the role ``device_role``.
        if isinstance(data, dict) and "device_role" in data and "role" not in data:
            data = {("role" if k == "device_role" else k): v for k, v in data.items()}
        return super().to_internal_value(data)


class CabledSerializer(NetBoxModelSerializer):
    """An object a cable can end at: its cable and what is at the cable's other end."""

    cable = RelatedObjectField(read_only=True, model=models.Cable)
    # The bare "A" or "B", as NetBox gives it here (not {value, label}).
    cable_end = serializers.ChoiceField(choices=CableEndChoices.choices(), read_only=True, allow_null=True)
    link_peers = RelatedObjectField(many=True, read_only=True)
    link_peers_type = serializers.CharField(read_only=True, allow_null=True)
    _occupied = serializers.BooleanField(read_only=True)

    class Meta:
        fields = "__all__"
        brief_fields = ("device", "name", "description", "cable", "_occupied")


class EndpointSerializer(CabledSerializer):
    """A cabled object at the end of a path: also the endpoints reached through front and rear ports.

    The endpoints are traced once per object (``_ends``) for the three fields that show them.
    """

    connected_endpoints = RelatedObjectField(many=True, read_only=True, source="_ends")
    connected_endpoints_type = serializers.SerializerMethodField()
    connected_endpoints_reachable = serializers.SerializerMethodField()

    class Meta(CabledSerializer.Meta):
        pass

    def to_representation(self, instance):
        if not self.nested:
            instance._ends = instance.connected_endpoints
        return super().to_representation(instance)

    def get_connected_endpoints_type(self, obj) -> str | None:
        return f"{obj._ends[0]._meta.app_label}.{obj._ends[0]._meta.model_name}" if obj._ends else None

    def get_connected_endpoints_reachable(self, obj) -> bool:
        return bool(obj._ends) and obj.cable.status == LinkStatusChoices.STATUS_CONNECTED


PORT_BRIEF = CabledSerializer.Meta.brief_fields
ConsolePortSerializer = model_serializer(models.ConsolePort, PORT_BRIEF, base=EndpointSerializer)
ConsoleServerPortSerializer = model_serializer(models.ConsoleServerPort, PORT_BRIEF, base=EndpointSerializer)
PowerPortSerializer = model_serializer(models.PowerPort, PORT_BRIEF, base=EndpointSerializer)
PowerOutletSerializer = model_serializer(models.PowerOutlet, PORT_BRIEF, base=EndpointSerializer)
PowerFeedSerializer = model_serializer(models.PowerFeed, ("name", "cable", "description", "_occupied"),
                                       base=EndpointSerializer)
class MACAddressShortcutMixin(serializers.Serializer):
    """An interface's (device's or VM's) ``mac_address``, also written, as NetBox 4.7 takes it.

    Writing ``"mac_address": "00:11:22:33:44:55"`` makes that the interface's primary MAC address
    (one of its own with that value, or a new one: that needs ``dcim.add_macaddress``), in
    the request's transaction; ``null`` or ``""`` clears it. With ``primary_mac_address`` in the
    same request, the two must agree. The bulk update applies it object by object
    (``after_save_fields``).
    """

    mac_address = serializers.CharField(allow_null=True, allow_blank=True, required=False)
    mac_addresses = RelatedObjectField(many=True, read_only=True, model=models.MACAddress)
    after_save_fields = ("mac_address",)

    def validate(self, attrs):
        mac_address = attrs.pop("mac_address", NOT_GIVEN)
        if mac_address not in (NOT_GIVEN, None, ""):
            try:
                mac_address = normalize_mac(mac_address)
            except DjangoValidationError:
                raise ValidationError({"mac_address": ["Enter a valid MAC address (e.g. 00:11:22:33:44:55)."]}) \
                    from None
            primary = attrs.get("primary_mac_address", NOT_GIVEN)
            if primary not in (NOT_GIVEN, None) and primary.mac_address != mac_address:
                raise ValidationError("The provided 'mac_address' and 'primary_mac_address' values conflict.")
        attrs = super().validate(attrs)
        if mac_address is not NOT_GIVEN:
            attrs["mac_address"] = mac_address
        return attrs

    def create(self, validated_data):
        mac_address = validated_data.pop("mac_address", None)
        instance = super().create(validated_data)
        if mac_address:
            self.save_after(instance, "mac_address", mac_address)
        return instance

    def update(self, instance, validated_data):
        mac_address = validated_data.pop("mac_address", NOT_GIVEN)
        instance = super().update(instance, validated_data)
        if mac_address is not NOT_GIVEN:
            self.save_after(instance, "mac_address", mac_address)
        return instance

    def save_after(self, instance, name, value):
        """Set ``name`` (one of ``after_save_fields``) on a saved ``instance``; a 400 or 403 when it cannot be."""
        request = self.context.get("request")
        new = value and not instance.mac_addresses.filter(mac_address=value).exists()
        if new and request is not None and not request.user.has_perm("dcim.add_macaddress"):
            raise PermissionDenied("You do not have permission to create MAC addresses.")
        try:
            instance.set_primary_mac_address_from_value(value)
        except DjangoValidationError as exc:  # an interface rule keeps its field; anything else is the MAC's
            raise ValidationError(django_errors_to_drf(exc) if hasattr(exc, "error_dict")
                                  else {"mac_address": exc.messages}) from exc


NOT_GIVEN = object()


class InterfaceSerializer(MACAddressShortcutMixin, EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        model = models.Interface
        brief_fields = PORT_BRIEF


@functools.cache
def mapping_serializer(model, other, other_position):
    """One item of a port's mappings; for a front port ``{"position": 1, "rear_port": 7, "rear_port_position": 2}``.

    One class per kind of port (``FrontPortMapping``, ...), so that the OpenAPI document has one
    component for each.
    """
    other_model = models.FrontPort if other == "front_port" else models.RearPort
    if model.__name__.endswith("Template"):
        other_model = models.FrontPortTemplate if other == "front_port" else models.RearPortTemplate
    return type(f"{model.__name__}Mapping", (serializers.Serializer,), {
        "__module__": __name__,
        "position": serializers.IntegerField(min_value=1, max_value=1024),
        other: serializers.PrimaryKeyRelatedField(queryset=other_model.objects.all()),
        other_position: serializers.IntegerField(min_value=1, max_value=1024, default=1),
    })


class MappingsMixin:
    """A front or rear port (or its template) with the list of its mappings to ports of the other kind.

    ``mapping_fields`` names, for this side: (list field, other port field, this position, other position).
    """

    mapping_fields = ()

    def get_fields(self):
        fields = super().get_fields()
        if not self.nested:
            list_name, other, this_position, other_position = self.mapping_fields
            child = mapping_serializer(self.Meta.model, other, other_position)()
            fields[list_name] = serializers.ListField(child=child, required=False, source="mappings", write_only=True)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.nested:
            list_name, other, this_position, other_position = self.mapping_fields
            data[list_name] = [{"position": getattr(m, this_position), other: getattr(m, f"{other}_id"),
                                other_position: getattr(m, other_position)} for m in instance.mappings.all()]
        return data

    def validate(self, attrs):
        mappings = attrs.pop("mappings", None)
        attrs = super().validate(attrs)
        if mappings is not None:
            attrs["mappings"] = mappings
        return attrs

    def create(self, validated_data):
        mappings = validated_data.pop("mappings", None)
        instance = super().create(validated_data)
        self._save_mappings(instance, mappings)
        return instance

    def update(self, instance, validated_data):
        mappings = validated_data.pop("mappings", None)
        instance = super().update(instance, validated_data)
        self._save_mappings(instance, mappings)
        return instance

    def _save_mappings(self, port, mappings):
        if mappings is None:
            return
        _, other, this_position, other_position = self.mapping_fields
        this = "rear_port" if other == "front_port" else "front_port"
        port.mappings.all().delete()
        for item in mappings:
            mapping = port.mappings.model(**{this: port, other: item[other], this_position: item["position"],
                                             other_position: item[other_position]})
            owner = "device_type" if hasattr(mapping, "device_type_id") else "device"
            if getattr(item[other], f"{owner}_id") != getattr(port, f"{owner}_id"):
                raise ValidationError({other: [f"{item[other]} belongs to another {owner.replace('_', ' ')}."]})
            mapping.full_clean(exclude=[owner])  # a ValidationError here is a 400 (netbox.api.exceptions)
            mapping.save()


class MappedPortSerializer(MappingsMixin, CabledSerializer):
    pass


FRONT = ("rear_ports", "rear_port", "front_port_position", "rear_port_position")
REAR = ("front_ports", "front_port", "rear_port_position", "front_port_position")
FrontPortSerializer = model_serializer(models.FrontPort, PORT_BRIEF, base=MappedPortSerializer, mapping_fields=FRONT)
RearPortSerializer = model_serializer(models.RearPort, PORT_BRIEF, base=MappedPortSerializer, mapping_fields=REAR)
DeviceBaySerializer = model_serializer(models.DeviceBay, ("device", "name", "description"))
ModuleBaySerializer = model_serializer(models.ModuleBay, ("device", "name", "description"))

TEMPLATE_BRIEF = ("name", "description")
ConsolePortTemplateSerializer = model_serializer(models.ConsolePortTemplate, TEMPLATE_BRIEF)
ConsoleServerPortTemplateSerializer = model_serializer(models.ConsoleServerPortTemplate, TEMPLATE_BRIEF)
PowerPortTemplateSerializer = model_serializer(models.PowerPortTemplate, TEMPLATE_BRIEF)
PowerOutletTemplateSerializer = model_serializer(models.PowerOutletTemplate, TEMPLATE_BRIEF)
InterfaceTemplateSerializer = model_serializer(models.InterfaceTemplate, TEMPLATE_BRIEF)
DeviceBayTemplateSerializer = model_serializer(models.DeviceBayTemplate, TEMPLATE_BRIEF)
ModuleBayTemplateSerializer = model_serializer(models.ModuleBayTemplate, TEMPLATE_BRIEF)


class MappedPortTemplateSerializer(MappingsMixin, NetBoxModelSerializer):
    class Meta:
        fields = "__all__"
        brief_fields = TEMPLATE_BRIEF


FrontPortTemplateSerializer = model_serializer(models.FrontPortTemplate, TEMPLATE_BRIEF,
                                               base=MappedPortTemplateSerializer, mapping_fields=FRONT)
RearPortTemplateSerializer = model_serializer(models.RearPortTemplate, TEMPLATE_BRIEF,
                                              base=MappedPortTemplateSerializer, mapping_fields=REAR)

CABLE_END_TYPES = {f"dcim.{name}" for name in COMPATIBLE_TERMINATION_TYPES} - {"dcim.circuittermination"} | {
    "circuits.circuittermination"}


class CableSerializer(NetBoxModelSerializer):
    a_terminations = GenericObjectSerializer(many=True, required=False, object_types=CABLE_END_TYPES)
    b_terminations = GenericObjectSerializer(many=True, required=False, object_types=CABLE_END_TYPES)

    class Meta:
        model = models.Cable
        fields = "__all__"
        brief_fields = ("label", "description")


class CableTerminationSerializer(NetBoxModelSerializer):
    """Read-only, as in NetBox 4.7: a cable's terminations are written through the cable."""

    termination_type = ContentTypeField(read_only=True)
    termination = RelatedObjectField(read_only=True)

    class Meta:
        model = models.CableTermination
        fields = ("id", "url", "display", "cable", "cable_end", "termination_type", "termination_id", "termination",
                  "created", "last_updated")
        read_only_fields = fields
        brief_fields = ("cable", "cable_end", "termination_type", "termination_id")


class MACAddressSerializer(NetBoxModelSerializer):
    assigned_object_type = ContentTypeField(queryset=ContentType.objects.filter(MAC_ADDRESS_ASSIGNMENT_MODELS),
                                            required=False, allow_null=True)
    assigned_object = RelatedObjectField(read_only=True)

    class Meta:
        model = models.MACAddress
        fields = "__all__"
        brief_fields = ("mac_address", "description")
