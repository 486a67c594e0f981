"""Input from the API and the CLI (JSON-like values) validated through a job's form.

``clean_input`` validates input the way the HTML form does: JSON values go through the
same form, an ObjectVar may be a dict of lookups, a missing var takes its default, and the
result is either the cleaned values or ``InputError`` with errors per var name. With a
``user``, an object (by key or by lookups) that the user may not view is refused as one that
does not exist (``visibility``). JSON gives
types a form never sees, so they are checked first: a list or an object where one value
belongs, a number with a fraction as a primary key, anything but true/false for a boolean
(Django's fields would read them as ``str(value)``, ``int(1.5)`` and ``bool(value)``).
"""
from netbox_userscripts.scripts.filtering import BadLookup, lookup_object
from netbox_userscripts.scripts.forms import OPTION_FIELDS, job_form
from netbox_userscripts.scripts.introspection import info
from netbox_userscripts.scripts.vars import BooleanVar, FileVar, MultiChoiceVar, MultiObjectVar, ObjectVar
from netbox_userscripts.scripts.visibility import visible_objects

BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False, "on": True, "off": False, "yes": True,
                "no": False, "": False}


class BadValue(ValueError):
    """A JSON value of the wrong shape for its var; the message says what to give instead."""


class InputError(Exception):
    """Input for a job that cannot be used; ``errors`` is ``{var name: [messages]}``."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


def clean_input(job_class, data=None, files=None, user=None):
    """The cleaned values of ``data`` (JSON-like) and ``files`` for ``job_class``, or ``InputError``.

    ``user`` is who asks (objects they may not view are refused); None is the engine itself.
    """
    meta = info(job_class)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError({"data": ["Give the job's input as an object of variable names to values."]})
    errors = {}
    form_data = {}
    files = {name: files[name] for name in files} if files else {}  # a MultiValueDict: its last file per name
    for name, value in data.items():
        var = meta.vars.get(name)
        if var is None:
            if name != "_commit":
                known = ", ".join(meta.vars) or "none"
                errors[name] = [f"{job_class.__name__} has no variable {name!r} (its variables: {known})."]
            continue
        try:
            form_data[name] = _form_value(var, value, user)
        except (BadLookup, BadValue) as exc:
            errors[name] = [str(exc)]
        if isinstance(var, FileVar) and name not in files:
            errors[name] = ["Upload the file as a multipart field of this name."]
    for name, var in meta.vars.items():
        if name not in form_data and name not in files and var.default is not None:
            form_data[name] = _form_value(var, var.default, user)
    if errors:
        raise InputError(errors)
    form = job_form(job_class, form_data, files, user=user)
    if not form.is_valid():
        raise InputError(form.var_errors())
    cleaned = dict(form.cleaned_data)
    for name in ("_commit", *OPTION_FIELDS):  # how to run, not the job's input
        cleaned.pop(name, None)
    return cleaned


def _form_value(var, value, user):
    """A JSON value as form data: lookups resolved to a key, lists kept as lists; ``BadValue`` if misshapen."""
    if isinstance(var, MultiObjectVar):
        items = value if isinstance(value, (list, tuple)) else [value]
        return [_object_key(var, item, user) for item in items]
    if isinstance(var, MultiChoiceVar):
        items = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(item, (dict, list, tuple)) for item in items):
            raise BadValue("Give a list of single values.")
        return items
    if isinstance(value, dict) and not isinstance(var, ObjectVar):
        raise BadValue("Give a single value, not an object.")
    if isinstance(value, (list, tuple)):
        raise BadValue("Give a single value, not a list.")
    if isinstance(var, ObjectVar):
        return _object_key(var, value, user)
    if isinstance(var, BooleanVar):
        return _boolean(value)
    return value


def _object_key(var, value, user):
    if isinstance(value, dict):  # looked up among the visible only: an error names no hidden object
        return lookup_object(visible_objects(var.queryset, user), value).pk
    if isinstance(value, (bool, float, list, tuple)):  # True would pass as pk 1, and 1.5 as 1
        raise BadValue("Give a primary key (a whole number) or an object of field lookups.")
    return value


def _boolean(value):
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in BOOLEAN_TEXT:
        return BOOLEAN_TEXT[value.strip().lower()]
    raise BadValue(f"Give true or false (got {str(value)[:40]!r}).")
