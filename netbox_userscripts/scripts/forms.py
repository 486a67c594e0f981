"""The HTML form of a job (NetBox's ``ScriptForm``): what ``Job.as_form`` returns.

``job_form`` builds one field per var in ``field_order``, then the run options
(``_background``, ``_schedule_at``, ``_interval``: ``options``), then ``_commit`` (initial per
``commit_default``; hidden and False for read-only jobs, as Nautobot does). Object fields
offer only the objects the form's ``user`` may view (``visibility``; no user: the engine
itself, such as ``manage.py runjob``), narrowed by their ``query_params`` against the data the
form is bound to, so ``$var`` references see the user's choices. Input from the API and the CLI is turned into this
form's data by ``inputs``.
"""
from django import forms

from netbox_userscripts.scripts.fields import ObjectFieldMixin
from netbox_userscripts.scripts.introspection import info
from netbox_userscripts.scripts.options import option_fields

OPTION_FIELDS = tuple(f"_{name}" for name in option_fields())


class JobForm(forms.Form):
    """Base of every job's form: the vars, the run options, then ``_commit``."""

    _commit = forms.BooleanField(
        required=False, initial=True, label="Commit changes",
        help_text="Commit changes to the database (uncheck for a dry run)",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update((f"_{name}", field) for name, field in option_fields().items())
        self.fields["_commit"] = self.fields.pop("_commit")  # always last
        values = self.data if self.is_bound else self._initial_values()
        for field in self.fields.values():
            if isinstance(field, ObjectFieldMixin):
                field.restrict_to(user)
                field.filter_by(values)

    def _initial_values(self):
        values = {name: field.initial for name, field in self.fields.items()}
        values.update(self.initial)
        return values

    @property
    def requires_input(self):
        """Whether there is anything to fill in besides ``_commit`` and the run options (NetBox)."""
        return len(self.fields) > 1 + len(OPTION_FIELDS)

    def var_errors(self):
        """``{var name: [messages]}``; errors of the whole form under ``__all__``."""
        return {name: list(errors) for name, errors in self.errors.items()}


def job_form(job_class, data=None, files=None, initial=None, user=None):
    """The bound (or, without data, unbound) form of ``job_class``, its objects those ``user`` may view."""
    meta = info(job_class)
    fields = {name: var.as_field() for name, var in meta.vars.items()}
    form_class = type(f"{job_class.__name__}Form", (JobForm,), fields)
    form = form_class(data, files, initial=initial, user=user)
    commit = form.fields["_commit"]
    if meta.read_only:
        commit.widget = forms.HiddenInput()
        commit.initial = False
    else:
        commit.initial = meta.commit_default
    return form
