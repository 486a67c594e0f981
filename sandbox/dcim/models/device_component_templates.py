"""Component templates of a device type; a new device of the type gets one component per template.

``template.instantiate(device=d)`` returns the unsaved component, as in NetBox;
``Device.save()`` saves one per template when the device is created.
"""
from django.core.exceptions import ValidationError
from django.db import models

from dcim.choices import (
    ConsolePortTypeChoices,
    InterfaceTypeChoices,
    PortTypeChoices,
    PowerOutletFeedLegChoices,
    PowerOutletTypeChoices,
    PowerPortTypeChoices,
)
from dcim.models.bays import DeviceBay, ModuleBay
from dcim.models.device_components import ConsolePort, ConsoleServerPort, Interface, PowerOutlet, PowerPort
from dcim.models.devices import color_validator
from dcim.models.pass_through import FrontPort, PortMappingBase, RearPort, position_validators
from utilities.models import ChangeLoggedModel


class ComponentTemplateModel(ChangeLoggedModel):
    device_type = models.ForeignKey("dcim.DeviceType", on_delete=models.CASCADE, related_name="%(class)ss")
    name = models.CharField(max_length=64, help_text="{module} is accepted as a substitution for the module bay "
                                                     "position when attached to a module type.")
    label = models.CharField(max_length=64, blank=True, help_text="Physical label")
    description = models.CharField(max_length=200, blank=True)

    component_model = None
    copied_fields = ()  # the template's fields a component takes over

    class Meta:
        abstract = True
        ordering = ["device_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["device_type", "name"],
                                    name="%(app_label)s_%(class)s_unique_device_type_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.label})" if self.label else self.name

    @property
    def parent_object(self):
        return self.device_type

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("device_type", "name"):
            return ValidationError(f"Device type {self.device_type} already has a {self._meta.verbose_name} named "
                                   f"{self.name!r}.", code="unique_together")
        return super().unique_error_message(model_class, unique_check)

    def instantiate(self, **kwargs):
        """The unsaved component this template describes, for ``device=...``."""
        fields = {name: getattr(self, name) for name in self.copied_fields}
        return self.component_model(name=self.name, label=self.label, description=self.description,
                                    **fields, **kwargs)


class ConsolePortTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    component_model, copied_fields = ConsolePort, ("type",)


class ConsoleServerPortTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=ConsolePortTypeChoices.choices(), blank=True)
    component_model, copied_fields = ConsoleServerPort, ("type",)


class PowerPortTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=PowerPortTypeChoices.choices(), blank=True)
    maximum_draw = models.PositiveIntegerField(null=True, blank=True, help_text="Maximum power draw (watts)")
    allocated_draw = models.PositiveIntegerField(null=True, blank=True, help_text="Allocated power draw (watts)")
    component_model, copied_fields = PowerPort, ("type", "maximum_draw", "allocated_draw")


class PowerOutletTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=PowerOutletTypeChoices.choices(), blank=True)
    power_port = models.ForeignKey(PowerPortTemplate, on_delete=models.SET_NULL, related_name="poweroutlet_templates",
                                   null=True, blank=True)
    feed_leg = models.CharField(max_length=50, choices=PowerOutletFeedLegChoices.choices(), blank=True)
    component_model, copied_fields = PowerOutlet, ("type", "feed_leg")

    def clean(self):
        super().clean()
        if self.power_port_id and self.power_port.device_type_id != self.device_type_id:
            raise ValidationError({"power_port": f"Parent power port ({self.power_port}) must belong to the same "
                                                 f"device type"})

    def instantiate(self, **kwargs):
        outlet = super().instantiate(**kwargs)
        if self.power_port_id:
            outlet.power_port = PowerPort.objects.get(name=self.power_port.name, **kwargs)
        return outlet


class InterfaceTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=InterfaceTypeChoices.choices())
    enabled = models.BooleanField(default=True)
    mgmt_only = models.BooleanField(default=False, verbose_name="management only")
    component_model, copied_fields = Interface, ("type", "enabled", "mgmt_only")


class PassThroughPortTemplate(ComponentTemplateModel):
    type = models.CharField(max_length=50, choices=PortTypeChoices.choices())
    color = models.CharField(max_length=6, blank=True, validators=[color_validator])
    positions = models.PositiveSmallIntegerField(default=1, validators=position_validators)
    copied_fields = ("type", "color", "positions")

    class Meta(ComponentTemplateModel.Meta):
        abstract = True


class FrontPortTemplate(PassThroughPortTemplate):
    component_model = FrontPort


class RearPortTemplate(PassThroughPortTemplate):
    component_model = RearPort


class PortTemplateMapping(PortMappingBase):
    """A device type's mapping of a front port template position to a rear port template position."""

    device_type = models.ForeignKey("dcim.DeviceType", on_delete=models.CASCADE, related_name="port_mappings")
    front_port = models.ForeignKey(FrontPortTemplate, on_delete=models.CASCADE, related_name="mappings")
    rear_port = models.ForeignKey(RearPortTemplate, on_delete=models.CASCADE, related_name="mappings")

    class Meta(PortMappingBase.Meta):
        pass

    def clean(self):
        super().clean()
        if self.front_port_id and self.rear_port_id and self.front_port.device_type_id != self.rear_port.device_type_id:
            raise ValidationError({"rear_port": f"Rear port ({self.rear_port}) must belong to the same device type"})

    def save(self, *args, **kwargs):
        self.device_type_id = self.front_port.device_type_id
        super().save(*args, **kwargs)


class ModuleBayTemplate(ComponentTemplateModel):
    position = models.CharField(max_length=30, blank=True)
    enabled = models.BooleanField(default=True)
    component_model, copied_fields = ModuleBay, ("position", "enabled")


class DeviceBayTemplate(ComponentTemplateModel):
    component_model = DeviceBay

    def clean(self):
        super().clean()
        if self.device_type_id and not self.device_type.is_parent_device:
            raise ValidationError(f"Subdevice role of device type ({self.device_type}) must be set to \"parent\" to "
                                  f"allow device bays.")
