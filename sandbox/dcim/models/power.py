"""Facility power: ``PowerPanel`` and the ``PowerFeed``s it supplies, cabled to a device's power port."""
import math

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dcim.choices import PowerFeedPhaseChoices, PowerFeedStatusChoices, PowerFeedSupplyChoices, PowerFeedTypeChoices
from dcim.models.device_components import CabledObjectModel, PathEndpoint
from utilities.models import NetBoxModel


class PowerPanel(NetBoxModel):
    site = models.ForeignKey("dcim.Site", on_delete=models.PROTECT, related_name="powerpanels")
    location = models.ForeignKey("dcim.Location", on_delete=models.PROTECT, related_name="powerpanels",
                                 null=True, blank=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="dcim_powerpanel_unique_site_name")]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.location_id and self.site_id and self.location.site_id != self.site_id:
            raise ValidationError({"location": f"Location {self.location} ({self.location.site}) is in a different "
                                               f"site than {self.site}."})


class PowerFeed(NetBoxModel, CabledObjectModel, PathEndpoint):
    power_panel = models.ForeignKey(PowerPanel, on_delete=models.PROTECT, related_name="powerfeeds")
    rack = models.ForeignKey("dcim.Rack", on_delete=models.PROTECT, related_name="powerfeeds", null=True, blank=True)
    name = models.CharField(max_length=100)
    status = models.CharField(max_length=50, choices=PowerFeedStatusChoices.choices(),
                              default=PowerFeedStatusChoices.STATUS_ACTIVE)
    type = models.CharField(max_length=50, choices=PowerFeedTypeChoices.choices(),
                            default=PowerFeedTypeChoices.TYPE_PRIMARY)
    supply = models.CharField(max_length=50, choices=PowerFeedSupplyChoices.choices(),
                              default=PowerFeedSupplyChoices.SUPPLY_AC)
    phase = models.CharField(max_length=50, choices=PowerFeedPhaseChoices.choices(),
                             default=PowerFeedPhaseChoices.PHASE_SINGLE)
    voltage = models.SmallIntegerField(default=120, validators=[MinValueValidator(-32768), MaxValueValidator(32767)])
    amperage = models.PositiveSmallIntegerField(default=20, validators=[MinValueValidator(1)])
    max_utilization = models.PositiveSmallIntegerField(default=80, validators=[MinValueValidator(1),
                                                                              MaxValueValidator(100)],
                                                       help_text="Maximum permissible draw (percentage)")
    available_power = models.PositiveIntegerField(default=0, editable=False)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="power_feeds",
                               null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["power_panel", "name"]
        constraints = [models.UniqueConstraint(fields=["power_panel", "name"],
                                               name="dcim_powerfeed_unique_power_panel_name")]

    def __str__(self):
        return self.name

    @property
    def parent_object(self):
        return self.power_panel

    def get_status_color(self):
        return PowerFeedStatusChoices.color_of(self.status)

    def clean(self):
        super().clean()
        errors = {}
        if self.rack_id and self.power_panel_id and self.rack.site_id != self.power_panel.site_id:
            errors["rack"] = (f"Rack {self.rack} ({self.rack.site}) and power panel {self.power_panel} "
                              f"({self.power_panel.site}) are in different sites.")
        if self.voltage is not None and self.voltage < 0 and self.supply == PowerFeedSupplyChoices.SUPPLY_AC:
            errors["voltage"] = "Voltage cannot be negative for AC supply"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Watts this feed may deliver: volts x amps x the permitted share (x sqrt(3) for three phases).
        if self.voltage and self.amperage and self.max_utilization:
            power = abs(self.voltage) * self.amperage * self.max_utilization / 100
            if self.phase == PowerFeedPhaseChoices.PHASE_3PHASE:
                power *= math.sqrt(3)
            self.available_power = round(power)
        else:
            self.available_power = 0
        super().save(*args, **kwargs)
