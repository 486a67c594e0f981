"""Model fields holding IP space as ``netaddr`` objects, stored as text (SQLite and PostgreSQL).

``IPNetworkField`` holds a prefix (``10.1.0.0/24``), ``IPAddressField`` an address with its
mask (``10.1.0.7/24``); both read back as ``netaddr.IPNetwork``. Assign a netaddr object or
a string: a string is parsed on assignment when it is valid, and kept as given otherwise,
so that ``full_clean()`` can name the field and the bad value. The text is stored in
netaddr's canonical form, so lookups with any spelling of the same value match; NetBox's
IP lookups (``net_contained`` ...) are registered from ``lookups.py``.
"""
import netaddr
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from ipam import lookups


class _NetaddrDescriptor(DeferredAttribute):
    """Converts what is assigned to a netaddr object when it can; leaves it for validation otherwise."""

    def __set__(self, instance, value):
        try:
            value = self.field.to_python(value)
        except ValidationError:
            pass
        instance.__dict__[self.field.attname] = value


class _NetaddrField(models.CharField):
    descriptor_class = _NetaddrDescriptor
    kind = "IP network"
    default_max_length = 50  # the longest IPv6 text with a mask is 43 characters

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == self.default_max_length:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def parse(self, value):
        """A ``netaddr.IPNetwork`` from ``value``; raises ``ValidationError`` saying why not."""
        if isinstance(value, netaddr.IPNetwork):
            return value
        if isinstance(value, netaddr.IPAddress):
            return netaddr.IPNetwork(value)
        text = str(value).strip()
        try:
            return netaddr.IPNetwork(text)
        except (netaddr.AddrFormatError, ValueError, TypeError):
            raise ValidationError(f"'{text}' is not a valid {self.kind}", code="invalid",
                                  params={"value": value}) from None

    def to_python(self, value):
        if value is None or value == "":
            return None
        return self.parse(value)

    def run_validators(self, value):
        # ``max_length`` counts characters of the text; ``len()`` of a network is its size.
        super().run_validators(None if value is None else str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        try:
            return netaddr.IPNetwork(value)
        except netaddr.AddrFormatError:
            return value  # bad text in the database stays readable instead of breaking the query

    def get_prep_value(self, value):
        if value is None or value == "":
            return None if self.null else ""
        if isinstance(value, str):
            try:
                return str(self.parse(value))
            except ValidationError:
                return value  # a lookup with a malformed value simply matches nothing
        return str(self.parse(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class IPNetworkField(_NetaddrField):
    """A prefix, e.g. ``10.1.0.0/24`` or ``2001:db8::/48``."""

    kind = "IP network"


class IPAddressField(_NetaddrField):
    """An address with its mask, e.g. ``10.1.0.7/24``; an address without a mask is refused."""

    kind = "IP address"

    def parse(self, value):
        if isinstance(value, netaddr.IPAddress) or (isinstance(value, str) and "/" not in value):
            raise ValidationError(f"'{str(value).strip()}' has no mask: give the address with its prefix length, "
                                  f"e.g. {str(value).strip() or '10.0.0.1'}/24", code="no_mask")
        return super().parse(value)

    def get_prep_value(self, value):
        # A lookup by a bare address means the host route (NetBox's PostgreSQL inet does the same).
        if isinstance(value, netaddr.IPAddress):
            value = netaddr.IPNetwork(value)
        elif isinstance(value, str) and value and "/" not in value:
            value = f"{value.strip()}/{128 if ':' in value else 32}"
        return super().get_prep_value(value)


for _lookup in lookups.NETWORK_LOOKUPS:
    IPNetworkField.register_lookup(_lookup)
for _lookup in lookups.ADDRESS_LOOKUPS:
    IPAddressField.register_lookup(_lookup)
