"""Model fields the data apps share: ``ColorField`` (six hex digits, as NetBox stores colours)."""
from django.core.validators import RegexValidator
from django.db import models

color_validator = RegexValidator(r"^[0-9a-f]{6}$", "Enter a colour as six lower-case hex digits, e.g. 9e9e9e.")


class ColorField(models.CharField):
    default_validators = [color_validator]
    description = "A hexadecimal RGB color code"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 6
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs
