"""The parts of a device (``Interface``, console and power ports) and what every cabled object shares.

Any port can be one end of a ``Cable``: the cable's ``CableTermination`` rows set the
port's ``cable`` and ``cable_end``; ``link_peers`` are the objects at the cable's other
end and ``connected_endpoints`` the endpoints reached through front and rear ports.
"""
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dcim.choices import (
    CableEndChoices,
    ConsolePortTypeChoices,
    InterfaceDuplexChoices,
    InterfaceModeChoices,
    InterfaceTypeChoices,
    LinkStatusChoices,
    PowerOutletFeedLegChoices,
    PowerOutletStatusChoices,
    PowerOutletTypeChoices,
    PowerPortTypeChoices,
)
from dcim.models.mac import PrimaryMACAddressMixin
from utilities.models import NetBoxModel

VIRTUAL_IFACE_TYPES = (InterfaceTypeChoices.TYPE_VIRTUAL, InterfaceTypeChoices.TYPE_BRIDGE,
                       InterfaceTypeChoices.TYPE_LAG)
PASS_THROUGH = ("frontport", "rearport", "circuittermination")  # a path goes on past these


class ComponentModel(NetBoxModel):
    """A named part of a device; names are unique per device."""

    device = models.ForeignKey("dcim.Device", on_delete=models.CASCADE, related_name="%(class)ss")
    name = models.CharField(max_length=64)
    label = models.CharField(max_length=64, blank=True, help_text="Physical label")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["device", "name"]
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="%(app_label)s_%(class)s_unique_device_name"),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original_device = self.__dict__.get("device_id")

    def __str__(self):
        return f"{self.name} ({self.label})" if self.label else self.name

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("device", "name"):
            return ValidationError(f"Device {self.device} already has a {self._meta.verbose_name} named {self.name!r}.",
                                   code="unique_together")
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        super().clean()
        if self.pk is not None and self._original_device not in (None, self.device_id):
            raise ValidationError({"device": "Components cannot be moved to a different device."})

    @property
    def parent_object(self):
        return self.device


class CabledObjectModel(models.Model):
    """An object a cable can end at: ``cable``, ``cable_end``, ``mark_connected``, ``link_peers``."""

    cable = models.ForeignKey("dcim.Cable", on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
                              editable=False)
    cable_end = models.CharField(max_length=1, choices=CableEndChoices.choices(), blank=True, null=True,
                                 editable=False)
    mark_connected = models.BooleanField(default=False, help_text="Treat as if a cable is connected")
    # Deleting the object deletes its cable termination (the cable itself stays, as in NetBox 4).
    cable_terminations = GenericRelation("dcim.CableTermination", content_type_field="termination_type",
                                         object_id_field="termination_id", related_query_name="%(class)s")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.cable_id and self.mark_connected:
            raise ValidationError({"mark_connected": "Cannot mark as connected with a cable attached."})

    @property
    def link(self):
        return self.cable

    @property
    def link_peers(self):
        """The objects at the other end of this object's cable (a list; empty without a cable)."""
        if self.cable_id is None:
            return []
        return [ct.termination for ct in self.cable.terminations.all() if ct.cable_end != self.cable_end]

    @property
    def link_peers_type(self):
        peers = self.link_peers
        return f"{peers[0]._meta.app_label}.{peers[0]._meta.model_name}" if peers else None

    @property
    def opposite_cable_end(self):
        if not self.cable_end:
            return None
        return CableEndChoices.SIDE_A if self.cable_end == CableEndChoices.SIDE_B else CableEndChoices.SIDE_B

    @property
    def _occupied(self):
        return bool(self.mark_connected or self.cable_id)


class PathEndpoint(models.Model):
    """An object at the end of a cable path (not a front or rear port): ``connected_endpoints``."""

    class Meta:
        abstract = True

    @property
    def connected_endpoints(self):
        """The endpoints this object reaches across its cable, through any front and rear ports."""
        ends, seen = [], set()
        queue = [(peer, None) for peer in self.link_peers]
        while queue:
            port, position = queue.pop(0)
            key = (port._meta.label_lower, port.pk, position)
            if key in seen:
                continue
            seen.add(key)
            kind = port._meta.model_name
            if kind not in PASS_THROUGH:
                ends.append(port)
                continue
            queue.extend(_through(port, position))
        return ends

    @property
    def connected_endpoint(self):
        """The first of ``connected_endpoints`` (NetBox 3's name), or None."""
        ends = self.connected_endpoints
        return ends[0] if ends else None

    @property
    def connected_endpoints_type(self):
        ends = self.connected_endpoints
        return f"{ends[0]._meta.app_label}.{ends[0]._meta.model_name}" if ends else None

    @property
    def connected_endpoints_reachable(self):
        return bool(self.connected_endpoints) and self.cable.status == LinkStatusChoices.STATUS_CONNECTED

    @property
    def connection_status(self):
        """True when connected by a cable marked connected, False when planned, None without a cable."""
        if self.cable_id is None:
            return None
        return self.cable.status == LinkStatusChoices.STATUS_CONNECTED


def _through(port, position):
    """``(peer, position)`` pairs past a front or rear port or a circuit end reached at ``position`` (None: unknown).

    Past a circuit termination are the objects cabled to the circuit's other end, or the
    provider network it ends in (NetBox's trace ends there too); nothing when that end is
    missing or has no cable.
    """
    hops = []
    if port._meta.model_name == "circuittermination":
        far = port.get_peer_termination()
        if far is None:
            return []
        if far._provider_network_id is not None:
            return [(far._provider_network, None)]
        return [(peer, position) for peer in far.link_peers]
    if port._meta.model_name == "frontport":
        for mapping in port.mappings.filter(front_port_position=position or 1).select_related("rear_port"):
            hops.extend((peer, mapping.rear_port_position) for peer in mapping.rear_port.link_peers)
    else:
        if position is None and port.positions != 1:
            return []  # a multi-position rear port reached from an endpoint: no single path
        for mapping in port.mappings.filter(rear_port_position=position or 1).select_related("front_port"):
            front = mapping.front_port
            hops.extend((peer, mapping.front_port_position if front.positions > 1 else None)
                        for peer in front.link_peers)
    return hops


class ConsolePort(ComponentModel, CabledObjectModel, PathEndpoint):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    speed = models.PositiveIntegerField(null=True, blank=True, help_text="Port speed in bits per second")


class ConsoleServerPort(ComponentModel, CabledObjectModel, PathEndpoint):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    speed = models.PositiveIntegerField(null=True, blank=True, help_text="Port speed in bits per second")


class PowerPort(ComponentModel, CabledObjectModel, PathEndpoint):
    type = models.CharField(max_length=50, choices=PowerPortTypeChoices.choices(), blank=True)
    maximum_draw = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)],
                                               help_text="Maximum power draw (watts)")
    allocated_draw = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)],
                                                 help_text="Allocated power draw (watts)")

    def clean(self):
        super().clean()
        if self.maximum_draw is not None and self.allocated_draw is not None \
                and self.allocated_draw > self.maximum_draw:
            raise ValidationError({"allocated_draw": f"Allocated draw cannot exceed the maximum draw "
                                                     f"({self.maximum_draw}W)."})

    def get_power_draw(self):
        """NetBox's summary: this port's draw, or what the ports on its outlets draw when it sets none."""
        outlets = list(self.poweroutlets.all()) if self.pk else []
        if self.allocated_draw is None and self.maximum_draw is None:
            fed = [peer for outlet in outlets for peer in outlet.link_peers if isinstance(peer, PowerPort)]
            allocated = sum(port.allocated_draw or 0 for port in fed)
            maximum = sum(port.maximum_draw or 0 for port in fed)
        else:
            allocated, maximum = self.allocated_draw or 0, self.maximum_draw or 0
        return {"allocated": allocated, "maximum": maximum, "outlet_count": len(outlets), "legs": []}


class PowerOutlet(ComponentModel, CabledObjectModel, PathEndpoint):
    status = models.CharField(max_length=50, choices=PowerOutletStatusChoices.choices(),
                              default=PowerOutletStatusChoices.STATUS_ENABLED)
    type = models.CharField(max_length=50, choices=PowerOutletTypeChoices.choices(), blank=True)
    power_port = models.ForeignKey(PowerPort, on_delete=models.SET_NULL, related_name="poweroutlets",
                                   null=True, blank=True, help_text="The power port of the same device feeding it")
    feed_leg = models.CharField(max_length=50, choices=PowerOutletFeedLegChoices.choices(), blank=True,
                                help_text="Phase (for three-phase feeds)")

    def clean(self):
        super().clean()
        if self.power_port_id and self.device_id and self.power_port.device_id != self.device_id:
            raise ValidationError({"power_port": f"Parent power port ({self.power_port}) must belong to the same "
                                                 f"device"})

    def get_status_color(self):
        return PowerOutletStatusChoices.color_of(self.status)


class Interface(ComponentModel, CabledObjectModel, PathEndpoint, PrimaryMACAddressMixin):
    type = models.CharField(max_length=50, choices=InterfaceTypeChoices.choices())
    enabled = models.BooleanField(default=True)
    parent = models.ForeignKey("self", on_delete=models.RESTRICT, related_name="child_interfaces",
                               null=True, blank=True, verbose_name="parent interface")
    bridge = models.ForeignKey("self", on_delete=models.SET_NULL, related_name="bridge_interfaces",
                               null=True, blank=True, verbose_name="bridge interface")
    lag = models.ForeignKey("self", on_delete=models.SET_NULL, related_name="member_interfaces",
                            null=True, blank=True, verbose_name="parent LAG")
    mtu = models.PositiveIntegerField(null=True, blank=True, verbose_name="MTU",
                                      validators=[MinValueValidator(1), MaxValueValidator(65536)])
    speed = models.PositiveBigIntegerField(null=True, blank=True, verbose_name="speed (Kbps)")
    duplex = models.CharField(max_length=50, choices=InterfaceDuplexChoices.choices(), null=True, blank=True)
    mgmt_only = models.BooleanField(default=False, verbose_name="management only",
                                    help_text="This interface is used only for out-of-band management")
    mode = models.CharField(max_length=50, choices=InterfaceModeChoices.choices(), null=True, blank=True)
    untagged_vlan = models.ForeignKey("ipam.VLAN", on_delete=models.SET_NULL, related_name="interfaces_as_untagged",
                                      null=True, blank=True, verbose_name="untagged VLAN")
    tagged_vlans = models.ManyToManyField("ipam.VLAN", related_name="interfaces_as_tagged", blank=True,
                                          verbose_name="tagged VLANs")
    vrf = models.ForeignKey("ipam.VRF", on_delete=models.SET_NULL, related_name="interfaces", null=True, blank=True,
                            verbose_name="VRF")
    ip_addresses = GenericRelation("ipam.IPAddress", content_type_field="assigned_object_type",
                                   object_id_field="assigned_object_id", related_query_name="interface")
    mac_addresses = GenericRelation("dcim.MACAddress", content_type_field="assigned_object_type",
                                    object_id_field="assigned_object_id", related_query_name="interface")

    @property
    def count_ipaddresses(self):
        return self.ip_addresses.count()

    @property
    def is_virtual(self):
        return self.type in VIRTUAL_IFACE_TYPES

    @property
    def is_wired(self):
        return not self.is_virtual

    @property
    def is_lag(self):
        return self.type == InterfaceTypeChoices.TYPE_LAG

    @property
    def is_bridge(self):
        return self.type == InterfaceTypeChoices.TYPE_BRIDGE

    def clean(self):
        super().clean()
        errors = {}
        if self.cable_id and self.is_virtual:
            errors["type"] = f"Interface {self} has a cable; a {self.type} interface cannot."
        for field, what in (("parent", "parent interface"), ("bridge", "bridge interface"), ("lag", "parent LAG")):
            other = getattr(self, field)
            if other is None:
                continue
            if other.pk == self.pk and self.pk is not None:
                errors[field] = f"An interface cannot be its own {what}."
            elif other.device_id != self.device_id:
                errors[field] = f"The selected {what} ({other}) belongs to a different device ({other.device})."
        if self.lag_id and not self.lag.is_lag:
            errors["lag"] = f"The selected parent LAG ({self.lag}) is not a LAG interface."
        if self.is_virtual and self.lag_id:
            errors["lag"] = "Virtual interfaces cannot have a parent LAG interface."
        if self.untagged_vlan_id and self.device_id and self.untagged_vlan.site_id not in (None, self.device.site_id):
            errors["untagged_vlan"] = (f"The untagged VLAN ({self.untagged_vlan}) must belong to the same site as "
                                       f"the interface's parent device, or it must be global.")
        if errors:
            raise ValidationError(errors)
