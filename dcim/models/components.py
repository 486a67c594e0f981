"""The parts of a device: ``Interface`` and the console and power ports.

Every port can be the end of one ``Cable``: its ``cable`` field is set when a cable is
saved, and ``connected_endpoint`` is the port at the cable's other end.
"""
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dcim.choices import (
    ConsolePortTypeChoices,
    InterfaceModeChoices,
    InterfaceTypeChoices,
    LinkStatusChoices,
    PowerOutletTypeChoices,
    PowerPortTypeChoices,
)
from utilities.models import NetBoxModel


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

    def __str__(self):
        return self.label or self.name

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("device", "name"):
            return ValidationError(f"Device {self.device} already has a {self._meta.verbose_name} named {self.name!r}.",
                                   code="unique_together")
        return super().unique_error_message(model_class, unique_check)

    @property
    def parent_object(self):
        return self.device


class CabledComponent(models.Model):
    """A component that a cable can be attached to."""

    cable = models.ForeignKey("dcim.Cable", on_delete=models.SET_NULL, related_name="+", null=True, blank=True,
                              editable=False)
    # Deleting a port deletes the cable attached to it, as in NetBox.
    _cables_as_a = GenericRelation("dcim.Cable", content_type_field="termination_a_type",
                                   object_id_field="termination_a_id")
    _cables_as_b = GenericRelation("dcim.Cable", content_type_field="termination_b_type",
                                   object_id_field="termination_b_id")

    class Meta:
        abstract = True

    @property
    def connected_endpoint(self):
        """The object at the other end of this port's cable, or None."""
        if self.cable_id is None:
            return None
        return self.cable.far_end(self)

    @property
    def link_peers(self):
        peer = self.connected_endpoint
        return [] if peer is None else [peer]

    @property
    def link_peer(self):
        return self.connected_endpoint

    @property
    def connection_status(self):
        """True when connected by a cable marked connected, False when planned, None without a cable."""
        if self.cable_id is None:
            return None
        return self.cable.status == LinkStatusChoices.STATUS_CONNECTED

    @property
    def _occupied(self):
        return self.cable_id is not None

    def content_type(self):
        return ContentType.objects.get_for_model(self)


class Interface(ComponentModel, CabledComponent):
    type = models.CharField(max_length=50, choices=InterfaceTypeChoices.choices())
    enabled = models.BooleanField(default=True)
    mtu = models.PositiveIntegerField(null=True, blank=True, verbose_name="MTU",
                                      validators=[MinValueValidator(1), MaxValueValidator(65536)])
    mac_address = models.CharField(max_length=18, blank=True, verbose_name="MAC address")
    mgmt_only = models.BooleanField(default=False, verbose_name="management only",
                                    help_text="This interface is used only for out-of-band management")
    mode = models.CharField(max_length=50, choices=InterfaceModeChoices.choices(), null=True, blank=True)
    ip_addresses = GenericRelation("ipam.IPAddress", content_type_field="assigned_object_type",
                                   object_id_field="assigned_object_id", related_query_name="interface")

    @property
    def is_virtual(self):
        return self.type in (InterfaceTypeChoices.TYPE_VIRTUAL, InterfaceTypeChoices.TYPE_BRIDGE,
                             InterfaceTypeChoices.TYPE_LAG)

    def clean(self):
        super().clean()
        if self.cable_id and self.is_virtual:
            raise ValidationError({"type": f"Interface {self} has a cable; a {self.type} interface cannot."})


class ConsolePort(ComponentModel, CabledComponent):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    speed = models.PositiveIntegerField(null=True, blank=True, help_text="Port speed in bits per second")


class ConsoleServerPort(ComponentModel, CabledComponent):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    speed = models.PositiveIntegerField(null=True, blank=True, help_text="Port speed in bits per second")


class PowerPort(ComponentModel, CabledComponent):
    type = models.CharField(max_length=50, choices=PowerPortTypeChoices.choices(), blank=True)
    maximum_draw = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)],
                                               help_text="Maximum power draw (watts)")
    allocated_draw = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)],
                                                 help_text="Allocated power draw (watts)")


class PowerOutlet(ComponentModel, CabledComponent):
    type = models.CharField(max_length=50, choices=PowerOutletTypeChoices.choices(), blank=True)
    power_port = models.ForeignKey(PowerPort, on_delete=models.SET_NULL, related_name="poweroutlets",
                                   null=True, blank=True, help_text="The power port of the same device feeding it")
