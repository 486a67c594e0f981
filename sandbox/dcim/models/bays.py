"""``DeviceBay`` (a slot for a child device) and ``ModuleBay`` (a slot for a module)."""
from django.core.exceptions import ValidationError
from django.db import models

from dcim.models.device_components import ComponentModel


class DeviceBay(ComponentModel):
    enabled = models.BooleanField(default=True)
    installed_device = models.OneToOneField("dcim.Device", on_delete=models.SET_NULL, related_name="parent_bay",
                                            null=True, blank=True)

    def clean(self):
        super().clean()
        errors = {}
        if self.device_id and not self.device.device_type.is_parent_device:
            errors["device"] = (f"This type of device ({self.device.device_type}) does not support device bays.")
        if self.installed_device_id:
            if self.installed_device_id == self.device_id:
                errors["installed_device"] = "Cannot install a device into itself."
            elif not self.installed_device.device_type.is_child_device:
                errors["installed_device"] = (f"Cannot install {self.installed_device}; its device type "
                                              f"({self.installed_device.device_type}) is not a child type.")
            elif not self.enabled:
                errors["installed_device"] = "Cannot install a device into a disabled device bay."
        if errors:
            raise ValidationError(errors)

    @property
    def _occupied(self):
        return self.installed_device_id is not None


class ModuleBay(ComponentModel):
    position = models.CharField(max_length=30, blank=True, help_text="Identifier to reference when renaming "
                                                                      "installed components")
    enabled = models.BooleanField(default=True)

    @property
    def _occupied(self):
        return False  # modules are not modelled here
