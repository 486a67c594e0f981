"""``Cable`` and ``CableTermination``: NetBox 4's cables, with any number of objects at each end.

``Cable(a_terminations=[...], b_terminations=[...]).save()`` creates one ``CableTermination``
row per end object (``cable``, ``cable_end`` "A" or "B", ``termination``) and sets the
object's ``cable`` and ``cable_end``; changing the lists and saving again moves the rows;
deleting the cable (or a termination) clears the objects again (``dcim.signals``).
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models, transaction

from dcim.choices import CableEndChoices, CableLengthUnitChoices, CableTypeChoices, LinkStatusChoices
from dcim.models.devices import color_validator
from utilities.models import NetBoxModel

# Which object types may be cabled to which (by model name), as in NetBox 4.7.
COMPATIBLE_TERMINATION_TYPES = {
    "circuittermination": {"interface", "frontport", "rearport", "circuittermination"},
    "consoleport": {"consoleserverport", "frontport", "rearport"},
    "consoleserverport": {"consoleport", "frontport", "rearport"},
    "interface": {"interface", "circuittermination", "frontport", "rearport"},
    "frontport": {"consoleport", "consoleserverport", "interface", "frontport", "rearport", "circuittermination"},
    "powerfeed": {"powerport"},
    "poweroutlet": {"powerport"},
    "powerport": {"poweroutlet", "powerfeed"},
    "rearport": {"consoleport", "consoleserverport", "interface", "frontport", "rearport", "circuittermination"},
}
CABLE_TERMINATION_MODELS = (
    models.Q(app_label="circuits", model="circuittermination")
    | models.Q(app_label="dcim", model__in=[m for m in COMPATIBLE_TERMINATION_TYPES if m != "circuittermination"])
)


class Cable(NetBoxModel):
    type = models.CharField(max_length=50, choices=CableTypeChoices.choices(), blank=True)
    status = models.CharField(max_length=50, choices=LinkStatusChoices.choices(),
                              default=LinkStatusChoices.STATUS_CONNECTED)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="cables",
                               null=True, blank=True)
    label = models.CharField(max_length=100, blank=True)
    color = models.CharField(max_length=6, blank=True, validators=[color_validator])
    length = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    length_unit = models.CharField(max_length=50, choices=CableLengthUnitChoices.choices(), blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __init__(self, *args, a_terminations=None, b_terminations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._terminations_modified = False
        if a_terminations:
            self.a_terminations = a_terminations
        if b_terminations:
            self.b_terminations = b_terminations

    def __str__(self):
        return self.label or f"#{self.pk}"

    def get_status_color(self):
        return LinkStatusChoices.color_of(self.status)

    # The ends: lists of objects, read from the termination rows until assigned --------

    def _get_terminations(self, end):
        attr = f"_{end.lower()}_terminations"
        if hasattr(self, attr):
            return getattr(self, attr)
        if self.pk is None:
            return []
        return [ct.termination for ct in self.terminations.all() if ct.cable_end == end]

    def _set_terminations(self, end, objects):
        objects = list(objects)
        if self.pk is None or self._get_terminations(end) != objects:
            self._terminations_modified = True
        setattr(self, f"_{end.lower()}_terminations", objects)

    @property
    def a_terminations(self):
        return self._get_terminations(CableEndChoices.SIDE_A)

    @a_terminations.setter
    def a_terminations(self, objects):
        self._set_terminations(CableEndChoices.SIDE_A, objects)

    @property
    def b_terminations(self):
        return self._get_terminations(CableEndChoices.SIDE_B)

    @b_terminations.setter
    def b_terminations(self, objects):
        self._set_terminations(CableEndChoices.SIDE_B, objects)

    # Validation and saving -----------------------------------------------------------

    def clean(self):
        super().clean()
        if self.length is not None and not self.length_unit:
            raise ValidationError({"length_unit": "Must specify a unit when setting a cable length"})
        a_ends, b_ends = self.a_terminations, self.b_terminations
        if self._state.adding and (not a_ends or not b_ends):
            missing = "a_terminations" if not a_ends else "b_terminations"
            raise ValidationError({missing: "Must define A and B terminations when creating a new cable."})
        if not self._terminations_modified:
            return
        for name, ends in (("a_terminations", a_ends), ("b_terminations", b_ends)):
            if any(end is None or end.pk is None for end in ends):
                raise ValidationError({name: "A cable can only end at saved objects."})
            if len({type(end) for end in ends}) > 1:
                raise ValidationError({name: "Cannot connect different termination types to same end of cable."})
        if a_ends and b_ends:
            a_type, b_type = a_ends[0]._meta.model_name, b_ends[0]._meta.model_name
            if b_type not in COMPATIBLE_TERMINATION_TYPES.get(a_type, ()):
                raise ValidationError(f"Incompatible termination types: {a_type} and {b_type}")
            if a_type == b_type and {end.pk for end in a_ends} & {end.pk for end in b_ends}:
                raise ValidationError("A and B terminations cannot connect to the same object.")
        for end, objects in ((CableEndChoices.SIDE_A, a_ends), (CableEndChoices.SIDE_B, b_ends)):
            for obj in objects:
                CableTermination(cable=self, cable_end=end, termination=obj).clean()

    def save(self, *args, **kwargs):
        if self.length is None:
            self.length_unit = ""
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self._terminations_modified:
                self.update_terminations()
                self._terminations_modified = False

    def update_terminations(self):
        """Create and delete ``CableTermination`` rows so they match ``a_terminations``/``b_terminations``."""
        wanted = {(end, type(obj), obj.pk): obj for end, objects in (
            (CableEndChoices.SIDE_A, self.a_terminations), (CableEndChoices.SIDE_B, self.b_terminations))
            for obj in objects}
        existing = {}
        for ct in CableTermination.objects.filter(cable=self).select_related("termination_type"):
            existing[(ct.cable_end, ct.termination_type.model_class(), ct.termination_id)] = ct
        for key, ct in existing.items():
            if key not in wanted:
                ct.delete()
        for key, obj in wanted.items():
            if key not in existing:
                CableTermination(cable=self, cable_end=key[0], termination=obj).save()
                obj.cable, obj.cable_end = self, key[0]


class CableTermination(models.Model):
    """One object at one end (A or B) of a cable."""

    cable = models.ForeignKey(Cable, on_delete=models.CASCADE, related_name="terminations")
    cable_end = models.CharField(max_length=1, choices=CableEndChoices.choices(), verbose_name="end")
    termination_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                         limit_choices_to=CABLE_TERMINATION_MODELS)
    termination_id = models.PositiveBigIntegerField()
    termination = GenericForeignKey("termination_type", "termination_id")
    # The termination's device, rack, location and site, kept for filtering (as NetBox does).
    _device = models.ForeignKey("dcim.Device", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    _rack = models.ForeignKey("dcim.Rack", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    _location = models.ForeignKey("dcim.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    _site = models.ForeignKey("dcim.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True, null=True, blank=True, editable=False)
    last_updated = models.DateTimeField(auto_now=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["cable", "cable_end", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["termination_type", "termination_id"],
                                    name="dcim_cabletermination_unique_termination"),
        ]

    def __str__(self):
        return f"Cable {self.cable} to {self.termination}"

    @property
    def display(self):
        return str(self)

    def snapshot(self):
        """NetBox records the pre-change state for its change log; there is no change log here."""

    def clean(self):
        super().clean()
        termination = self.termination
        if termination is None:
            raise ValidationError({"termination_id": "The cable's end object does not exist."})
        where = f"{termination.parent_object} > {termination}" if hasattr(termination, "parent_object") \
            else str(termination)
        if getattr(termination, "mark_connected", False):
            raise ValidationError(f"Cannot connect a cable to {where} because it is marked as connected.")
        taken = CableTermination.objects.filter(termination_type=self.termination_type,
                                                termination_id=self.termination_id)
        if self.cable.pk:
            taken = taken.exclude(cable=self.cable)
        other = taken.first()
        if other is not None:
            raise ValidationError(f"Duplicate termination found for {self.termination_type.app_label}."
                                  f"{self.termination_type.model} {self.termination_id}: {where} already has "
                                  f"cable {other.cable_id}")
        if self.termination_type.model == "circuittermination" and termination._provider_network_id is not None:
            raise ValidationError(f"Circuit terminations attached to a provider network may not be cabled ({where}).")
        if self.termination_type.model == "interface" and termination.is_virtual:
            raise ValidationError(f"Cables cannot be terminated to {termination.get_type_display()} interfaces "
                                  f"({where}).")

    def save(self, *args, **kwargs):
        self.cache_related_objects()
        super().save(*args, **kwargs)
        # The end object is saved (not just updated) so that its save signals fire, as in NetBox.
        termination = type(self.termination)._base_manager.get(pk=self.termination_id)
        termination.cable, termination.cable_end = self.cable, self.cable_end
        termination.save(update_fields=["cable", "cable_end"])

    def cache_related_objects(self):
        termination = self.termination
        if termination is None:
            raise ValueError("Invalid cable termination: the assigned termination object does not exist.")
        device = getattr(termination, "device", None)
        if device is not None:
            self._device, self._rack, self._location, self._site = device, device.rack, device.location, device.site
        elif getattr(termination, "rack", None) is not None:
            rack = termination.rack
            self._rack, self._location, self._site = rack, rack.location, rack.site
        elif getattr(termination, "power_panel", None) is not None:
            self._site = termination.power_panel.site
        elif termination._meta.label_lower == "circuits.circuittermination":  # it caches its own site and location
            self._site, self._location = termination._site, termination._location
