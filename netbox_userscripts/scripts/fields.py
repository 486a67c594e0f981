"""Django form fields behind the vars that Django lacks: IP addresses and filtered object choices.

Validation stays Django's: each field turns text into a value (``to_python``) and raises
``ValidationError`` with a message a user can act on. ``ObjectChoiceField`` narrows its
queryset to the objects the user may view (``visibility``), then by the var's
``query_params`` (``$var`` references resolved from the other fields' values), so an object
outside the filter is an invalid choice like any other, and one the user may not view is
refused as if it did not exist.
"""
import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv4_address, validate_ipv6_address
from django.db import connections
from netaddr import AddrFormatError, IPAddress, IPNetwork

from netbox_userscripts.scripts import limits
from netbox_userscripts.scripts.filtering import apply_query_params, references, resolve_params
from netbox_userscripts.scripts.visibility import visible_objects

NULL = "null"  # the value of the "null" choice offered by ``null_option``


def _strict_ip(text):
    """An ``IPAddress`` for ``text`` in the usual notation only: netaddr alone reads "10.1" as 10.0.0.1."""
    try:
        validate_ipv4_address(text)
    except ValidationError:
        try:
            validate_ipv6_address(text)
        except ValidationError:
            raise ValidationError(f"{text!r} is not a valid IPv4 or IPv6 address.", code="invalid") from None
    return IPAddress(text)


class IPAddressField(forms.Field):
    """An address without a mask, as ``netaddr.IPAddress``."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, IPAddress):
            return value
        value = str(value).strip()
        if "/" in value:
            raise ValidationError("Enter an IP address without a mask (e.g. 192.0.2.1).", code="masked")
        return _strict_ip(value)


class IPNetworkField(forms.Field):
    """An address or network with its mask (``/24``), as ``netaddr.IPNetwork``.

    With ``strict_network`` the host bits must be zero (a prefix, not an interface address).
    """

    def __init__(self, *, strict_network=False, min_prefix_length=None, max_prefix_length=None, **kwargs):
        self.strict_network = strict_network
        self.min_prefix_length = min_prefix_length
        self.max_prefix_length = max_prefix_length
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, IPNetwork):
            return value
        value = str(value).strip()
        address, slash, length = value.partition("/")
        if not slash:
            raise ValidationError("Enter a mask too, in CIDR notation (e.g. 192.0.2.0/24).", code="unmasked")
        ip = _strict_ip(address)
        if not length.isdigit() or int(length) > (32 if ip.version == 4 else 128):
            raise ValidationError(f"{length!r} is not a valid mask length for IPv{ip.version}.", code="invalid")
        try:
            return IPNetwork(f"{ip}/{int(length)}")
        except (AddrFormatError, ValueError) as exc:
            raise ValidationError(f"{value!r} is not a valid network: {exc}", code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.strict_network and value.ip != value.network:
            raise ValidationError(f"{value} is not a network address (did you mean {value.cidr}?).", code="host_bits")
        if self.min_prefix_length is not None and value.prefixlen < self.min_prefix_length:
            raise ValidationError(
                f"The prefix length must be at least /{self.min_prefix_length} (got /{value.prefixlen}).",
                                  code="min_prefix_length")
        if self.max_prefix_length is not None and value.prefixlen > self.max_prefix_length:
            raise ValidationError(
                f"The prefix length must be at most /{self.max_prefix_length} (got /{value.prefixlen}).",
                                  code="max_prefix_length")


class LimitedFileField(forms.FileField):
    """An upload of at most ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes: a job reads it whole, in memory."""

    def validate(self, value):
        super().validate(value)
        too_large = limits.file_too_large(getattr(value, "size", None) or 0)
        if too_large:
            raise ValidationError(too_large, code="file_too_large")


class ObjectFieldMixin:
    """What ``ObjectVar`` and ``MultiObjectVar`` add to Django's model choice fields."""

    def setup(self, query_params=None, display_field=None, null_option=None):
        self.query_params = dict(query_params or {})
        self.display_field = display_field
        self.null_option = null_option
        self.base_queryset = self.queryset
        self.widget.attrs["data-model"] = self.queryset.model._meta.label_lower
        if self.query_params:
            self.widget.attrs["data-query-params"] = json.dumps(self.query_params)
            refs = references(self.query_params)
            if refs:
                self.widget.attrs["data-depends-on"] = ",".join(refs)

    def restrict_to(self, user):
        """Offer and accept only the objects ``user`` may view (``None``: the engine itself, all)."""
        self.queryset = self.base_queryset = visible_objects(self.base_queryset, user)

    def filter_by(self, values):
        """Narrow the choices to ``query_params``, ``$var`` taken from ``values`` (a form's data)."""
        if self.query_params:
            self.queryset = apply_query_params(self.base_queryset, resolve_params(self.query_params, values))

    def label_from_instance(self, obj):
        if self.display_field and self.display_field != "display":
            value = getattr(obj, self.display_field, None)
            if value not in (None, ""):
                return str(value)
        display = getattr(obj, "display", None)
        return str(display) if isinstance(display, str) else str(obj)

    def invalid_choice(self, value):
        """Why ``value`` was refused: no such object, or one the filter leaves out."""
        model = self.queryset.model._meta.verbose_name
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        try:
            exists = self.base_queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, ValidationError):
            return ValidationError(f"{value!r} is not a valid {model} id.", code="invalid_choice")
        if exists:
            return ValidationError(f"{model.capitalize()} {value} does not match this field's filter "
                                   f"{json.dumps(self.query_params)}.", code="invalid_choice")
        return ValidationError(f"No {model} with id {value}.", code="invalid_choice")


class ObjectChoiceField(ObjectFieldMixin, forms.ModelChoiceField):
    def to_python(self, value):
        if self.null_option and value == NULL:
            return None
        if value in self.empty_values:
            return None
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise self.invalid_choice(value) from None


class MultiObjectChoiceField(ObjectFieldMixin, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if isinstance(value, (list, tuple)) and (message := limits.too_many_objects(len(value))):
            raise ValidationError(message, code="too_many")
        for item in value if isinstance(value, (list, tuple)) else ():
            if _out_of_range(self.queryset, self.to_field_name, item):  # an __in query would overflow
                raise self.invalid_choice(item)
        try:
            return super()._check_values(value)
        except ValidationError as exc:
            if exc.code not in ("invalid_choice", "invalid_pk_value"):
                raise
            wrong = (exc.params or {}).get("value", (exc.params or {}).get("pk"))
            raise self.invalid_choice(wrong) from None


def _out_of_range(queryset, key, value):
    """Whether ``value`` is a whole number beyond what the integer column ``key`` (the pk) can hold."""
    field = queryset.model._meta.get_field(key) if key else queryset.model._meta.pk
    while field.is_relation:
        field = field.target_field
    ranges = connections[queryset.db].ops.integer_field_ranges
    if field.get_internal_type() not in ranges:  # not an integer key
        return False
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False
    low, high = ranges[field.get_internal_type()]
    return (low is not None and number < low) or (high is not None and number > high)
