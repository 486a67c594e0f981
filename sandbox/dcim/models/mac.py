"""``MACAddress`` (NetBox 4.2+): a MAC address assigned to a device or virtual machine interface.

An interface's ``primary_mac_address`` points at one of its own MAC addresses, and its
``mac_address`` property reads that one's text (``PrimaryMACAddressMixin``, shared by dcim's
``Interface`` and virtualization's ``VMInterface``, as NetBox's ``BaseInterface``, with
NetBox 4.7's ``set_primary_mac_address()`` and ``set_primary_mac_address_from_value()``). The
assigned object is generic, so a ``VMInterface`` can hold MAC addresses without this app
importing it.
"""
import netaddr
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models, router, transaction

from utilities.generic import clean_generic_reference
from utilities.models import NetBoxModel

MAC_ADDRESS_ASSIGNMENT_MODELS = (models.Q(app_label="dcim", model="interface")
                                 | models.Q(app_label="virtualization", model="vminterface"))


def normalize_mac(value):
    """``00-11-22-aa-bb-cc`` -> ``00:11:22:AA:BB:CC`` (NetBox's format); ValidationError when not a MAC."""
    try:
        return str(netaddr.EUI(str(value).strip(), version=48, dialect=netaddr.mac_unix_expanded)).upper()
    except (netaddr.AddrFormatError, TypeError, ValueError):
        raise ValidationError(f"{value!r} is not a valid MAC address.", code="invalid") from None


class MACAddressField(models.CharField):
    """A MAC address kept as ``00:11:22:AA:BB:CC``; lookups normalise the value they compare with."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 17)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return value
        return normalize_mac(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        try:
            return self.to_python(value)
        except ValidationError:
            return value  # a filter for a non-MAC simply finds nothing


class PrimaryMACAddressMixin(models.Model):
    """An interface's ``primary_mac_address``: one of its own MAC addresses (a free one is assigned on save)."""

    primary_mac_address = models.OneToOneField("dcim.MACAddress", on_delete=models.SET_NULL, related_name="+",
                                               null=True, blank=True, verbose_name="primary MAC address")

    class Meta:
        abstract = True

    @property
    def mac_address(self):
        """The primary MAC address as text (NetBox 4.2+: a property, no longer a field)."""
        return self.primary_mac_address.mac_address if self.primary_mac_address_id else None

    def clean(self):
        super().clean()
        mac = self.primary_mac_address
        if mac is not None and mac.assigned_object_id is not None and (
                mac.assigned_object_id != self.pk or mac.assigned_object_type.model_class() is not type(self)):
            raise ValidationError({"primary_mac_address": f"MAC address {mac} is assigned to a different object "
                                                          f"({mac.assigned_object})."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_primary_mac_address_id = self.__dict__.get("primary_mac_address_id")

    def save(self, *args, **kwargs):
        chosen = self.primary_mac_address_id is not None and (
            self._state.adding or self.primary_mac_address_id != self._saved_primary_mac_address_id)
        super().save(*args, **kwargs)
        # Only a newly chosen primary MAC is read (a save of an interface otherwise costs no query for it).
        if chosen:
            mac = self.primary_mac_address
            if mac.assigned_object_id is None:
                # A free MAC address made primary is assigned to the interface, as NetBox does.
                mac.assigned_object = self
                mac.save()
        self._saved_primary_mac_address_id = self.primary_mac_address_id

    def set_primary_mac_address(self, mac):
        """Make ``mac`` (a ``MACAddress``, or None to clear) the primary one, validated and saved (NetBox 4.7)."""
        self._set_primary_mac_address(mac=mac)
    set_primary_mac_address.alters_data = True

    def set_primary_mac_address_from_value(self, mac_address):
        """The same from text: one of this interface's MACs with that value, or a new one; "" or None clears."""
        self._set_primary_mac_address(mac_value=mac_address or None)
    set_primary_mac_address_from_value.alters_data = True

    def _set_primary_mac_address(self, mac=None, mac_value=None):
        # The interface's row is locked, so two requests setting the same new value create one MAC address.
        with transaction.atomic(using=router.db_for_write(type(self))):
            locked = type(self).objects.select_for_update().get(pk=self.pk)
            if mac_value is not None:
                mac_value = normalize_mac(mac_value)
                mac = locked.mac_addresses.filter(mac_address=mac_value).first()
                if mac is None:
                    mac = MACAddress(mac_address=mac_value, assigned_object=locked)
                    mac.full_clean()
                    mac.save()
            if locked.primary_mac_address_id != (mac.pk if mac is not None else None):
                locked.primary_mac_address = mac
                locked.full_clean(validate_unique=False)
                locked.save()
        self.primary_mac_address = mac


class MACAddress(NetBoxModel):
    mac_address = MACAddressField(verbose_name="MAC address")
    assigned_object_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+",
                                             limit_choices_to=MAC_ADDRESS_ASSIGNMENT_MODELS, null=True, blank=True)
    assigned_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    assigned_object = GenericForeignKey("assigned_object_type", "assigned_object_id")
    description = models.CharField(max_length=200, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["mac_address", "pk"]
        verbose_name = "MAC address"
        verbose_name_plural = "MAC addresses"
        indexes = [models.Index(fields=["assigned_object_type", "assigned_object_id"])]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original_assigned_object_id = self.__dict__.get("assigned_object_id")
        self._original_assigned_object_type_id = self.__dict__.get("assigned_object_type_id")

    def __str__(self):
        return str(self.mac_address)

    def save(self, *args, **kwargs):
        self.mac_address = self._meta.get_field("mac_address").get_prep_value(self.mac_address)
        super().save(*args, **kwargs)

    @property
    def is_primary(self):
        obj = self.assigned_object if self.assigned_object_id else None
        return obj is not None and getattr(obj, "primary_mac_address_id", None) == self.pk

    def clean(self):
        super().clean()
        if self.assigned_object_id is None:
            self.assigned_object_type = None  # no id: not assigned
        clean_generic_reference(self, "assigned_object", "assigned object")
        moved = (self._original_assigned_object_id, self._original_assigned_object_type_id) != (
            self.assigned_object_id, self.assigned_object_type_id)
        if self.pk and moved and self._original_assigned_object_id is not None:
            original = type(self)._base_manager.get(pk=self.pk)
            if original.is_primary:
                raise ValidationError("Cannot unassign MAC Address while it is designated as the primary MAC for an "
                                      "object")
