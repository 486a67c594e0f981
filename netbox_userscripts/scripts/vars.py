"""Job variables: declarations that build Django form fields (NetBox's ``ScriptVariable``).

A var is declared on a Job class (``site_name = StringVar(max_length=50)``) and turned into
a fresh form field by ``as_field()`` each time a form is built. Every var takes
``label``, ``description``, ``default``, ``required`` (True) and ``widget``; its own options
become the field's arguments or validators, so validation and messages are Django's.
``options`` keeps what was declared, for the API's description of the job.
"""

__all__ = [
    "ScriptVariable", "StringVar", "TextVar", "IntegerVar", "DecimalVar", "BooleanVar", "ChoiceVar",
    "MultiChoiceVar", "ObjectVar", "MultiObjectVar", "FileVar", "IPAddressVar", "IPAddressWithMaskVar",
    "IPNetworkVar", "DateVar", "DateTimeVar",
]

from django import forms
from django.core.validators import RegexValidator
from django.forms.utils import pretty_name

from netbox_userscripts.scripts import fields


class ScriptVariable:
    """Base of every var: the options all vars share."""

    form_field = forms.CharField

    def __init__(self, label="", description="", default=None, required=True, widget=None):
        self.name = None  # set when the var is assigned in a class body
        self.label = label
        self.description = description
        self.default = default
        self.required = required
        self.widget = widget
        self.options = {}
        self.field_attrs = {"required": required}
        if label:
            self.field_attrs["label"] = label
        if description:
            self.field_attrs["help_text"] = description
        if default is not None:
            self.field_attrs["initial"] = default
        if widget is not None:
            self.field_attrs["widget"] = widget

    def __set_name__(self, owner, name):
        if self.name is None:
            self.name = name

    @property
    def type_name(self):
        return type(self).__name__

    def display_label(self, name=None):
        return self.label or pretty_name(name or self.name or "")

    def as_field(self):
        """A new Django form field for this var."""
        field = self.form_field(**self.field_attrs)
        if not isinstance(field.widget, forms.CheckboxInput):
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{css} form-control".strip()
        return field


class StringVar(ScriptVariable):
    """One line of text; ``min_length``, ``max_length``, ``regex``."""

    def __init__(self, min_length=None, max_length=None, regex=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {"min_length": min_length, "max_length": max_length, "regex": regex}
        self.field_attrs["min_length"] = min_length
        self.field_attrs["max_length"] = max_length
        if regex:
            self.field_attrs["validators"] = [
                RegexValidator(regex=regex, message=f"Invalid value. Must match regex: {regex}", code="invalid")
            ]


class TextVar(ScriptVariable):
    """Text of any length, as a multi-line box."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_attrs.setdefault("widget", forms.Textarea)


class IntegerVar(ScriptVariable):
    """An integer; ``min_value``, ``max_value``."""

    form_field = forms.IntegerField

    def __init__(self, min_value=None, max_value=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {"min_value": min_value, "max_value": max_value}
        self.field_attrs.update(min_value=min_value, max_value=max_value)


class DecimalVar(ScriptVariable):
    """A ``Decimal``; ``min_value``, ``max_value``, ``max_digits``, ``decimal_places``."""

    form_field = forms.DecimalField

    def __init__(self, min_value=None, max_value=None, max_digits=None, decimal_places=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {"min_value": min_value, "max_value": max_value,
                        "max_digits": max_digits, "decimal_places": decimal_places}
        self.field_attrs.update(self.options)


class BooleanVar(ScriptVariable):
    """True or False: never required (an unticked box is False)."""

    form_field = forms.BooleanField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = self.field_attrs["required"] = False


def _with_blank(choices):
    return [("", "---------"), *choices]


class ChoiceVar(ScriptVariable):
    """One of ``choices`` (``(value, label)`` pairs); the value given is the stored one."""

    form_field = forms.ChoiceField

    def __init__(self, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(choices)
        self.options = {"choices": choices}
        self.field_attrs["choices"] = _with_blank(choices)  # no silent pre-selection of the first


class MultiChoiceVar(ScriptVariable):
    """Any number of ``choices``; a list of values."""

    form_field = forms.MultipleChoiceField

    def __init__(self, choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(choices)
        self.options = {"choices": choices}
        self.field_attrs["choices"] = choices


class ObjectVar(ScriptVariable):
    """One object of ``model`` (or ``queryset``), chosen among those matching ``query_params``.

    ``display_field`` names the attribute shown in the list; ``null_option`` labels an
    explicit "none" choice (value ``null``).
    """

    form_field = fields.ObjectChoiceField

    def __init__(self, model=None, queryset=None, display_field="display", query_params=None, null_option=None,
                 *args, **kwargs):
        super().__init__(*args, **kwargs)
        if model is None and queryset is None:
            raise TypeError(f"{type(self).__name__} needs a model (model=Site) or a queryset.")
        # Anything with get_queryset() (a manager, or the objects of a model rebuilt at run time,
        # such as a custom object type's) is asked afresh each time, so it is never stale.
        self._source = queryset if queryset is not None else model._default_manager
        self.query_params = dict(query_params or {})
        self.display_field = display_field
        self.null_option = null_option
        label = getattr(self._source, "label_lower", None) or self.model._meta.label_lower
        self.options = {"model": label, "query_params": self.query_params,
                        "display_field": display_field, "null_option": null_option}

    @property
    def queryset(self):
        source = self._source
        return source.get_queryset() if hasattr(source, "get_queryset") else source.all()

    @property
    def model(self):
        return self.queryset.model

    def as_field(self):
        attrs = dict(self.field_attrs, queryset=self.queryset.all())
        if self.form_field is fields.ObjectChoiceField:
            attrs["empty_label"] = self.null_option or "---------"
        field = self.form_field(**attrs)
        field.setup(self.query_params, self.display_field, self.null_option)
        field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} form-control".strip()
        return field


class MultiObjectVar(ObjectVar):
    """Any number of objects of ``model``; a queryset."""

    form_field = fields.MultiObjectChoiceField


class FileVar(ScriptVariable):
    """An uploaded file (in memory for the run only), of at most ``FILE_UPLOAD_MAX_MEMORY_SIZE`` bytes."""

    form_field = fields.LimitedFileField


class IPAddressVar(ScriptVariable):
    """An address without a mask, as ``netaddr.IPAddress``."""

    form_field = fields.IPAddressField


class IPAddressWithMaskVar(ScriptVariable):
    """An address with its mask (host bits allowed), as ``netaddr.IPNetwork``."""

    form_field = fields.IPNetworkField


class IPNetworkVar(ScriptVariable):
    """A network (host bits zero) as ``netaddr.IPNetwork``; ``min_prefix_length``, ``max_prefix_length``."""

    form_field = fields.IPNetworkField

    def __init__(self, min_prefix_length=None, max_prefix_length=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = {"min_prefix_length": min_prefix_length, "max_prefix_length": max_prefix_length}
        self.field_attrs.update(strict_network=True, **self.options)


class DateVar(ScriptVariable):
    """A ``date`` (``YYYY-MM-DD``)."""

    form_field = forms.DateField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_attrs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class DateTimeVar(ScriptVariable):
    """A ``datetime`` (ISO 8601), aware in the current time zone."""

    form_field = forms.DateTimeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        self.field_attrs.setdefault("widget", widget)
