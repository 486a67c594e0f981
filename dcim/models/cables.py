"""``Cable``: a link between two ports (A and B ends), each any cabled component.

Saving a cable sets the ``cable`` field of both ends (and clears it on ends it no longer
has); deleting it clears them. NetBox 4 spells the ends ``a_terminations`` and
``b_terminations`` (lists); here a cable has exactly one port at each end, and both
spellings work.
"""
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from dcim.choices import CableLengthUnitChoices, CableTypeChoices, LinkStatusChoices
from utilities.models import NetBoxModel

# Which port types may be cabled to which (by model name), as in NetBox.
COMPATIBLE_TERMINATIONS = {
    "interface": {"interface"},
    "consoleport": {"consoleserverport"},
    "consoleserverport": {"consoleport"},
    "powerport": {"poweroutlet"},
    "poweroutlet": {"powerport"},
}
TERMINATION_TYPES = models.Q(app_label="dcim", model__in=list(COMPATIBLE_TERMINATIONS))


class Cable(NetBoxModel):
    termination_a_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                           limit_choices_to=TERMINATION_TYPES)
    termination_a_id = models.PositiveBigIntegerField()
    termination_a = GenericForeignKey("termination_a_type", "termination_a_id")
    termination_b_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                           limit_choices_to=TERMINATION_TYPES)
    termination_b_id = models.PositiveBigIntegerField()
    termination_b = GenericForeignKey("termination_b_type", "termination_b_id")
    type = models.CharField(max_length=50, choices=CableTypeChoices.choices(), blank=True)
    status = models.CharField(max_length=50, choices=LinkStatusChoices.choices(),
                              default=LinkStatusChoices.STATUS_CONNECTED)
    tenant = models.ForeignKey("tenancy.Tenant", on_delete=models.PROTECT, related_name="cables",
                               null=True, blank=True)
    label = models.CharField(max_length=100, blank=True)
    color = models.CharField(max_length=6, blank=True)
    length = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    length_unit = models.CharField(max_length=50, choices=CableLengthUnitChoices.choices(), blank=True)
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["termination_a_type", "termination_a_id"],
                                    name="dcim_cable_unique_termination_a"),
            models.UniqueConstraint(fields=["termination_b_type", "termination_b_id"],
                                    name="dcim_cable_unique_termination_b"),
        ]

    def __str__(self):
        return self.label or f"#{self.pk}"

    # NetBox 4's spelling: lists of ends -------------------------------------------------

    @property
    def a_terminations(self):
        return [self.termination_a] if self.termination_a_id is not None else []

    @a_terminations.setter
    def a_terminations(self, ends):
        self.termination_a = self._single_end(ends, "a_terminations")

    @property
    def b_terminations(self):
        return [self.termination_b] if self.termination_b_id is not None else []

    @b_terminations.setter
    def b_terminations(self, ends):
        self.termination_b = self._single_end(ends, "b_terminations")

    @staticmethod
    def _single_end(ends, name):
        ends = list(ends)
        if len(ends) != 1:
            raise ValueError(f"{name} must hold exactly one port here (got {len(ends)}).")
        return ends[0]

    def far_end(self, port):
        """The end of this cable that is not ``port``."""
        port_type = ContentType.objects.get_for_model(port)
        if self.termination_a_type_id == port_type.pk and self.termination_a_id == port.pk:
            return self.termination_b
        return self.termination_a

    # Validation and saving ---------------------------------------------------------------

    def clean(self):
        super().clean()
        if None in (self.termination_a_type_id, self.termination_b_type_id):
            return  # the missing type is reported by clean_fields
        a, b = self.termination_a, self.termination_b
        if a is None or b is None:
            side = "termination_a_id" if a is None else "termination_b_id"
            raise ValidationError({side: "No such port: the cable's end does not exist."})
        a_kind, b_kind = a._meta.model_name, b._meta.model_name
        if b_kind not in COMPATIBLE_TERMINATIONS.get(a_kind, ()):
            raise ValidationError(f"A {a._meta.verbose_name} cannot be cabled to a {b._meta.verbose_name}.")
        if a_kind == b_kind and a.pk == b.pk:
            raise ValidationError("A cable cannot connect a port to itself.")
        for side, end in (("termination_a_id", a), ("termination_b_id", b)):
            if end.cable_id is not None and end.cable_id != self.pk:
                raise ValidationError({side: f"{end.device} {end} already has a cable (#{end.cable_id})."})
            if getattr(end, "is_virtual", False):
                raise ValidationError({side: f"{end.device} {end} is a virtual interface; it cannot take a cable."})

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            before = Cable.objects.filter(pk=self.pk).values_list(*END_FIELDS).first() if self.pk else None
            super().save(*args, **kwargs)
            # Plain UPDATEs: attaching a cable is the cable's change, not an edit of each port.
            for model, pk in _ends(before) - _ends([getattr(self, name) for name in END_FIELDS]):
                model._base_manager.filter(pk=pk, cable=self).update(cable=None)
            for end in (self.termination_a, self.termination_b):
                if end is not None:
                    type(end)._base_manager.filter(pk=end.pk).update(cable=self)
                    end.cable = self


END_FIELDS = ("termination_a_type_id", "termination_a_id", "termination_b_type_id", "termination_b_id")


def _ends(values):
    """``{(model, pk), ...}`` from the four end fields of a cable."""
    if not values:
        return set()
    type_a, pk_a, type_b, pk_b = values
    return {(ContentType.objects.get_for_id(type_id).model_class(), pk)
            for type_id, pk in ((type_a, pk_a), (type_b, pk_b)) if type_id is not None and pk is not None}
