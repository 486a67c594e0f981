"""What things are: ``Manufacturer``, ``DeviceType``, ``DeviceRole``, ``Platform`` and ``Device``."""
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from dcim.choices import DeviceStatusChoices
from utilities.models import NetBoxModel, OrganizationalModel

color_validator = RegexValidator(r"^[0-9a-f]{6}$", "Enter a colour as six lower-case hex digits, e.g. 9e9e9e.")


class Manufacturer(OrganizationalModel):
    pass


class DeviceType(NetBoxModel):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="device_types")
    model = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    part_number = models.CharField(max_length=50, blank=True, help_text="Discrete part number (optional)")
    u_height = models.DecimalField(max_digits=4, decimal_places=1, default=1.0,
                                   validators=[MinValueValidator(0)], verbose_name="height (U)")
    is_full_depth = models.BooleanField(default=True, verbose_name="is full depth")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["manufacturer", "model"]
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "model"], name="dcim_devicetype_unique_manufacturer_model"),
            models.UniqueConstraint(fields=["manufacturer", "slug"], name="dcim_devicetype_unique_manufacturer_slug"),
        ]

    def __str__(self):
        return self.model

    @property
    def full_name(self):
        return f"{self.manufacturer} {self.model}"


class DeviceRole(OrganizationalModel):
    color = models.CharField(max_length=6, default="9e9e9e", validators=[color_validator])
    vm_role = models.BooleanField(default=True, help_text="Virtual machines may be assigned to this role")


class Platform(OrganizationalModel):
    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="platforms",
                                     null=True, blank=True, help_text="Limit this platform to one manufacturer")


class Device(NetBoxModel):
    name = models.CharField(max_length=64, null=True, blank=True)
    device_type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, related_name="instances")
    role = models.ForeignKey(DeviceRole, on_delete=models.PROTECT, related_name="devices")
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="devices",
                               null=True, blank=True)
    platform = models.ForeignKey(Platform, on_delete=models.SET_NULL, related_name="devices", null=True, blank=True)
    serial = models.CharField(max_length=50, blank=True, verbose_name="serial number")
    asset_tag = models.CharField(max_length=50, unique=True, null=True, blank=True,
                                 help_text="A unique tag used to identify this device")
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="devices")
    status = models.CharField(max_length=50, choices=DeviceStatusChoices.choices(),
                              default=DeviceStatusChoices.STATUS_ACTIVE)
    primary_ip4 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv4")
    primary_ip6 = models.OneToOneField("ipam.IPAddress", on_delete=models.SET_NULL, related_name="+",
                                       null=True, blank=True, verbose_name="primary IPv6")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="dcim_device_unique_site_name"),
        ]

    def __str__(self):
        if self.name:
            return self.name
        if self.device_type_id:
            return f"{self.device_type.manufacturer} {self.device_type.model} ({self.pk})"
        return f"Unnamed device ({self.pk})"

    # NetBox before 4.0 called the role ``device_role``; old scripts still use that name,
    # including as a keyword: ``Device(device_role=role, ...)``.
    @property
    def device_role(self):
        return self.role

    @device_role.setter
    def device_role(self, value):
        self.role = value

    @property
    def primary_ip(self):
        return self.primary_ip4 or self.primary_ip6

    def get_status_color(self):
        return DeviceStatusChoices.color_of(self.status)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("site", "name"):
            return ValidationError(
                f"Device name must be unique per site: site {self.site} already has a device named {self.name!r}.",
                code="unique_together",
            )
        return super().unique_error_message(model_class, unique_check)

    def clean(self):
        super().clean()
        errors = {}
        # One query per primary IP that is set, none otherwise: a bulk edit of thousands of
        # devices must stay cheap.
        IPAddress = apps.get_model("ipam", "IPAddress")
        for field, family in (("primary_ip4", 4), ("primary_ip6", 6)):
            ip_id = getattr(self, f"{field}_id")
            row = IPAddress.objects.filter(pk=ip_id).values_list("address", "interface__device").first() \
                if ip_id is not None else None
            if row is None:
                continue  # none, or a missing one that clean_fields reports
            address, device_id = row
            if address.version != family:
                errors[field] = f"{address} is not an IPv{family} address."
            elif self.pk is None or device_id != self.pk:
                errors[field] = f"{address} is not assigned to an interface of this device."
        if self.platform_id and self.device_type_id and self.platform.manufacturer_id not in (
                None, self.device_type.manufacturer_id):
            errors["platform"] = (f"Platform {self.platform} is for devices made by {self.platform.manufacturer}; "
                                  f"this device is made by {self.device_type.manufacturer}.")
        if errors:
            raise ValidationError(errors)
