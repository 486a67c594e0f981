"""Serializers of the virtualization app, in NetBox's shape (see ``netbox.api.serializers``)."""
from dcim.api.serializers import MACAddressShortcutMixin
from netbox.api.fields import RelatedObjectField
from netbox.api.serializers import NetBoxModelSerializer, model_serializer
from virtualization import models

NAMED = ("name", "slug", "description")
ClusterTypeSerializer = model_serializer(models.ClusterType, NAMED)
ClusterGroupSerializer = model_serializer(models.ClusterGroup, NAMED)
ClusterSerializer = model_serializer(models.Cluster, ("name", "description"))


class VMInterfaceBase(MACAddressShortcutMixin, NetBoxModelSerializer):
    class Meta:
        fields = "__all__"


class VirtualMachineSerializer(NetBoxModelSerializer):
    primary_ip = RelatedObjectField(read_only=True, model="ipam.IPAddress")

    class Meta:
        model = models.VirtualMachine
        fields = "__all__"
        brief_fields = ("name", "description")


VMInterfaceSerializer = model_serializer(models.VMInterface, ("virtual_machine", "name", "description"),
                                         base=VMInterfaceBase)
