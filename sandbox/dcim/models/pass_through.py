"""Pass-through ports: ``FrontPort``, ``RearPort`` and the ``PortMapping`` of front positions to rear ones.

NetBox 4.5+ no longer keeps ``rear_port``/``rear_port_position`` on a front port: a
``PortMapping`` row maps (front port, position) to (rear port, position), both on one device.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dcim.choices import PortTypeChoices
from dcim.models.device_components import CabledObjectModel, ComponentModel
from dcim.models.devices import color_validator

PORT_POSITION_MIN, PORT_POSITION_MAX = 1, 1024
position_validators = [MinValueValidator(PORT_POSITION_MIN), MaxValueValidator(PORT_POSITION_MAX)]


class PortMappingBase(models.Model):
    """A front port position mapped to a rear port position (devices' and device types' mappings)."""

    front_port_position = models.PositiveSmallIntegerField(default=1, validators=position_validators)
    rear_port_position = models.PositiveSmallIntegerField(default=1, validators=position_validators)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(fields=["front_port", "front_port_position"],
                                    name="%(app_label)s_%(class)s_unique_front_port_position"),
            models.UniqueConstraint(fields=["rear_port", "rear_port_position"],
                                    name="%(app_label)s_%(class)s_unique_rear_port_position"),
        ]

    def __str__(self):
        return f"{self.front_port}:{self.front_port_position} to {self.rear_port}:{self.rear_port_position}"

    def clean(self):
        super().clean()
        errors = {}
        rear, front = getattr(self, "rear_port", None), getattr(self, "front_port", None)
        if rear is not None and self.rear_port_position > rear.positions:
            errors["rear_port_position"] = (f"Invalid rear port position ({self.rear_port_position}): Rear port "
                                            f"{rear.name} has only {rear.positions} positions.")
        if front is not None and self.front_port_position > front.positions:
            errors["front_port_position"] = (f"Invalid front port position ({self.front_port_position}): Front port "
                                             f"{front.name} has only {front.positions} positions.")
        if errors:
            raise ValidationError(errors)


class PortMapping(PortMappingBase):
    device = models.ForeignKey("dcim.Device", on_delete=models.CASCADE, related_name="port_mappings")
    front_port = models.ForeignKey("dcim.FrontPort", on_delete=models.CASCADE, related_name="mappings")
    rear_port = models.ForeignKey("dcim.RearPort", on_delete=models.CASCADE, related_name="mappings")

    class Meta(PortMappingBase.Meta):
        pass

    def clean(self):
        super().clean()
        if self.front_port_id and self.rear_port_id and self.front_port.device_id != self.rear_port.device_id:
            raise ValidationError({"rear_port": f"Rear port ({self.rear_port}) must belong to the same device"})

    def save(self, *args, **kwargs):
        self.device_id = self.front_port.device_id
        super().save(*args, **kwargs)


class PassThroughPort(ComponentModel, CabledObjectModel):
    type = models.CharField(max_length=50, choices=PortTypeChoices.choices())
    color = models.CharField(max_length=6, blank=True, validators=[color_validator])
    positions = models.PositiveSmallIntegerField(default=1, validators=position_validators)

    class Meta(ComponentModel.Meta):
        abstract = True

    def clean(self):
        super().clean()
        if not self._state.adding and self.pk:
            count = self.mappings.count()
            if self.positions < count:
                other = "rear" if isinstance(self, FrontPort) else "front"
                raise ValidationError({"positions": f"The number of positions cannot be less than the number of "
                                                    f"mapped {other} ports ({count})"})


class FrontPort(PassThroughPort):
    """A pass-through port on the front of a device (a patch panel's port)."""

    @property
    def rear_ports(self):
        return [mapping.rear_port for mapping in self.mappings.select_related("rear_port")]


class RearPort(PassThroughPort):
    """A pass-through port on the rear of a device; with several positions it carries several front ports."""

    @property
    def front_ports(self):
        return [mapping.front_port for mapping in self.mappings.select_related("front_port")]
