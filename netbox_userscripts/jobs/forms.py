"""The form of a job, and input from the API and the CLI turned into that form's data.

``job_form`` is what ``Job.as_form`` returns (NetBox's ``ScriptForm``): one field per var
in ``field_order``, then ``_commit`` (initial per ``commit_default``; hidden and False for
read-only jobs, as Nautobot does). Object fields are narrowed by their ``query_params``
against the data the form is bound to, so ``$var`` references see the user's choices.

``clean_input`` validates input for the API and the CLI the same way: JSON values go
through the same form, an ObjectVar may be a dict of lookups, a missing var takes its
default, and the result is either the cleaned values or errors per var name.
"""
from django import forms

from netbox_userscripts.jobs.base import info
from netbox_userscripts.jobs.fields import ObjectFieldMixin
from netbox_userscripts.jobs.filtering import BadLookup, lookup_object
from netbox_userscripts.jobs.vars import FileVar, MultiObjectVar, ObjectVar


class JobForm(forms.Form):
    """Base of every job's form: the vars, then ``_commit``."""

    _commit = forms.BooleanField(
        required=False, initial=True, label="Commit changes",
        help_text="Commit changes to the database (uncheck for a dry run)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["_commit"] = self.fields.pop("_commit")  # always last
        values = self.data if self.is_bound else self._initial_values()
        for field in self.fields.values():
            if isinstance(field, ObjectFieldMixin):
                field.filter_by(values)

    def _initial_values(self):
        values = {name: field.initial for name, field in self.fields.items()}
        values.update(self.initial)
        return values

    @property
    def requires_input(self):
        """Whether there is anything to fill in besides ``_commit`` (NetBox)."""
        return len(self.fields) > 1

    def var_errors(self):
        """``{var name: [messages]}``; errors of the whole form under ``__all__``."""
        return {name: list(errors) for name, errors in self.errors.items()}


def job_form(job_class, data=None, files=None, initial=None):
    """The bound (or, without data, unbound) form of ``job_class``."""
    meta = info(job_class)
    fields = {name: var.as_field() for name, var in meta.vars.items()}
    form_class = type(f"{job_class.__name__}Form", (JobForm,), fields)
    form = form_class(data, files, initial=initial)
    commit = form.fields["_commit"]
    if meta.read_only:
        commit.widget = forms.HiddenInput()
        commit.initial = False
    else:
        commit.initial = meta.commit_default
    return form


class InputError(Exception):
    """Input for a job that cannot be used; ``errors`` is ``{var name: [messages]}``."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()))


def clean_input(job_class, data=None, files=None):
    """The cleaned values of ``data`` (JSON-like) and ``files`` for ``job_class``, or ``InputError``."""
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
            form_data[name] = _form_value(var, value)
        except BadLookup as exc:
            errors[name] = [str(exc)]
        if isinstance(var, FileVar) and name not in files:
            errors[name] = ["Upload the file as a multipart field of this name."]
    for name, var in meta.vars.items():
        if name not in form_data and name not in files and var.default is not None:
            form_data[name] = _form_value(var, var.default)
    if errors:
        raise InputError(errors)
    form = job_form(job_class, form_data, files)
    if not form.is_valid():
        raise InputError(form.var_errors())
    cleaned = dict(form.cleaned_data)
    cleaned.pop("_commit", None)
    return cleaned


def _form_value(var, value):
    """A JSON value as form data: lookups resolved to a key, lists kept as lists."""
    if isinstance(var, MultiObjectVar):
        items = value if isinstance(value, (list, tuple)) else [value]
        return [_object_key(var, item) for item in items]
    if isinstance(var, ObjectVar):
        return _object_key(var, value)
    return value


def _object_key(var, value):
    if isinstance(value, dict):
        return lookup_object(var.queryset, value).pk
    if isinstance(value, bool):  # True would pass as pk 1
        raise BadLookup("Give a primary key or a dict of field lookups.")
    return value
