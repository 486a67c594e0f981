"""``RackRole`` and ``Rack``: the units of a rack, which of them devices take, and its power.

``Rack.get_available_units()``, ``get_utilization()`` and ``get_power_utilization()`` are
the calls NetBox's rack reports make; they answer with NetBox's numbers (percentages).
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dcim.choices import (
    RackAirflowChoices,
    RackDimensionUnitChoices,
    RackFormFactorChoices,
    RackStatusChoices,
    RackWidthChoices,
    WeightUnitChoices,
)
from dcim.models.devices import color_validator
from utilities.models import NetBoxModel, OrganizationalModel


class RackRole(OrganizationalModel):
    color = models.CharField(max_length=6, default="9e9e9e", validators=[color_validator])


class Rack(NetBoxModel):
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="racks")
    location = models.ForeignKey("dcim.Location", on_delete=models.SET_NULL, related_name="racks",
                                 null=True, blank=True)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="racks",
                               null=True, blank=True)
    status = models.CharField(max_length=50, choices=RackStatusChoices.choices(),
                              default=RackStatusChoices.STATUS_ACTIVE)
    role = models.ForeignKey(RackRole, on_delete=models.PROTECT, related_name="racks", null=True, blank=True)
    name = models.CharField(max_length=100)
    facility_id = models.CharField(max_length=50, null=True, blank=True, verbose_name="facility ID",
                                   help_text="Locally-assigned identifier")
    serial = models.CharField(max_length=50, blank=True, verbose_name="serial number")
    asset_tag = models.CharField(max_length=50, unique=True, null=True, blank=True,
                                 help_text="A unique tag used to identify this rack")
    form_factor = models.CharField(max_length=50, choices=RackFormFactorChoices.choices(), blank=True)
    width = models.PositiveSmallIntegerField(choices=RackWidthChoices.choices(),
                                             default=RackWidthChoices.WIDTH_19IN, help_text="Rail-to-rail width")
    u_height = models.PositiveSmallIntegerField(default=42, verbose_name="height (U)",
                                                validators=[MinValueValidator(1), MaxValueValidator(100)])
    starting_unit = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)],
                                                     help_text="Starting unit for rack")
    desc_units = models.BooleanField(default=False, verbose_name="descending units",
                                     help_text="Units are numbered top-to-bottom")
    outer_width = models.PositiveSmallIntegerField(null=True, blank=True)
    outer_height = models.PositiveSmallIntegerField(null=True, blank=True)
    outer_depth = models.PositiveSmallIntegerField(null=True, blank=True)
    outer_unit = models.CharField(max_length=50, choices=RackDimensionUnitChoices.choices(), blank=True)
    mounting_depth = models.PositiveSmallIntegerField(null=True, blank=True)
    weight = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    max_weight = models.PositiveIntegerField(null=True, blank=True, help_text="Maximum load capacity for the rack")
    weight_unit = models.CharField(max_length=50, choices=WeightUnitChoices.choices(), blank=True)
    airflow = models.CharField(max_length=50, choices=RackAirflowChoices.choices(), blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "location", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="dcim_rack_unique_location_name"),
            models.UniqueConstraint(fields=["location", "facility_id"], name="dcim_rack_unique_location_facility"),
        ]

    def __str__(self):
        return f"{self.name} ({self.facility_id})" if self.facility_id else self.name

    def get_status_color(self):
        return RackStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        errors = {}
        if self.location_id and self.site_id and self.location.site_id != self.site_id:
            errors["location"] = f"Assigned location must belong to parent site ({self.site})."
        if self.outer_unit == "" and any((self.outer_width, self.outer_height, self.outer_depth)):
            errors["outer_unit"] = "Must specify a unit when setting an outer dimension"
        if self.max_weight and not self.weight_unit:
            errors["max_weight"] = "Must specify a unit when setting a maximum weight"
        if self.pk and self.u_height:
            top = self.starting_unit + self.u_height - 1
            highest = max((d.position + d.device_type.u_height - 1 for d in
                           self.devices.filter(position__isnull=False).select_related("device_type")), default=0)
            if highest > top:
                errors["u_height"] = (f"Rack must be at least {highest - self.starting_unit + 1}U tall to house "
                                      f"currently installed devices.")
        if errors:
            raise ValidationError(errors)

    # Units ---------------------------------------------------------------------------

    @property
    def units(self):
        """The unit numbers, top to bottom (bottom to top when ``desc_units``)."""
        numbers = range(self.starting_unit, self.starting_unit + self.u_height)
        return list(numbers) if self.desc_units else list(reversed(numbers))

    def _occupied_units(self, face=None, exclude=(), ignore_excluded_devices=False):
        """The units taken by racked devices on ``face`` (full-depth devices take both faces)."""
        taken = set()
        devices = self.devices.filter(position__isnull=False).exclude(pk__in=list(exclude)).select_related(
            "device_type")
        for device in devices:
            device_type = device.device_type
            if ignore_excluded_devices and device_type.exclude_from_utilization:
                continue
            if face and device.face != face and not device_type.is_full_depth:
                continue
            start = Decimal(device.position)
            height = Decimal(device_type.u_height)
            step = Decimal("0.5")
            unit = start
            while unit < start + height:
                taken.add(unit)
                unit += step
        return taken

    def get_available_units(self, u_height=1, rack_face=None, exclude=None, ignore_excluded_devices=False):
        """The positions where a device ``u_height`` units tall fits on ``rack_face`` (both when None)."""
        u_height = Decimal(u_height)
        taken = self._occupied_units(rack_face, exclude or (), ignore_excluded_devices)
        available = []
        step = Decimal("0.5") if u_height % 1 else Decimal(1)
        top = Decimal(self.starting_unit + self.u_height)
        unit = Decimal(self.starting_unit)
        while unit + max(u_height, Decimal("0.5")) <= top:
            half_units = [unit + Decimal("0.5") * i for i in range(int(u_height * 2))]
            if not any(u in taken for u in half_units):
                available.append(unit)
            unit += step
        return list(reversed(available)) if not self.desc_units else available

    def get_rack_units(self, user=None, face="front", exclude=None, expand_devices=True):
        """NetBox's elevation: one dict per unit, top first (``id``, ``name``, ``face``, ``device``, ``occupied``).

        A device taller than 1U is listed on each unit it takes, or only on its lowest unit
        (with its ``height``) when ``expand_devices`` is False. ``user`` is accepted for
        NetBox's signature; every device is shown.
        """
        elevation = {Decimal(u): {"id": u, "name": f"U{u}", "face": face, "device": None, "occupied": False}
                     for u in self.units}
        if self.pk is None:
            return list(elevation.values())
        devices = self.devices.filter(position__isnull=False, device_type__u_height__gt=0).exclude(pk=exclude)
        devices = devices.filter(models.Q(face=face) | models.Q(device_type__is_full_depth=True))
        for device in devices.select_related("device_type__manufacturer", "role"):
            start, height = Decimal(device.position), Decimal(device.device_type.u_height)
            if not expand_devices:
                if start in elevation:
                    elevation[start].update(device=device, occupied=True, height=height)
                continue
            unit = start
            while unit < start + height:
                if unit in elevation:
                    elevation[unit].update(device=device, occupied=True)
                unit += Decimal("0.5")
        return list(elevation.values())

    def get_utilization(self):
        """The percentage of units taken by devices (on either face), as NetBox counts it."""
        taken = {int(u) for u in self._occupied_units(ignore_excluded_devices=True)}
        return round(len(taken) / self.u_height * 100, 1) if self.u_height else 0

    def get_power_utilization(self):
        """Allocated draw of the power ports fed by this rack's power feeds, as a percentage of what they supply."""
        feeds = list(self.powerfeeds.all())
        available = sum(feed.available_power for feed in feeds)
        if not available:
            return 0
        allocated = 0
        for feed in feeds:
            for port in feed.link_peers:
                draw = port.get_power_draw() if hasattr(port, "get_power_draw") else {}
                allocated += draw.get("allocated", 0)
        return round(allocated / available * 100, 1)
