"""How a job is to run, besides its vars: in the background, at a set time, again every N minutes.

NetBox's names and labels: ``schedule_at`` ("Schedule at", a moment in the future) and
``interval`` ("Recurs every", minutes, 1 to 2147483647: NetBox's column is a positive 32-bit
integer); ``background`` asks for a background run
without a schedule (a schedule implies one). They are Django form fields, so the job page's
form (as ``_background``, ``_schedule_at``, ``_interval``, beside ``_commit``) and
``RunOptions`` (the API body and ``runjob``'s options) check them alike. A date and time
without a zone is read in the current time zone (``TIME_ZONE``).
"""
import datetime

from django import forms
from django.utils import timezone

FUTURE_REQUIRED = "Scheduled time must be in the future."
NOT_A_MOMENT = "Enter a date and time as ISO 8601 text, e.g. 2026-12-24T18:00:00Z."
NAMES = ("background", "schedule_at", "interval")
MAX_INTERVAL = 2**31 - 1  # minutes (about 4,000 years): NetBox's PositiveIntegerField; more overflows a date


def in_the_future(value):
    if value is not None and value <= timezone.now():
        raise forms.ValidationError(FUTURE_REQUIRED)


class MomentField(forms.DateTimeField):
    """A date and time (ISO 8601 text from JSON) that must lie in the future."""

    default_validators = [in_the_future]

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, (str, datetime.datetime)):
            raise forms.ValidationError(NOT_A_MOMENT, code="invalid")  # a JSON number or list
        return super().to_python(value)


def option_fields():
    """``{name: field}`` of the run options, in the order a form shows them."""
    return {
        "background": forms.BooleanField(required=False, label="Run in the background",
                                         help_text="Queue the job for a task worker instead of running it now"),
        "schedule_at": MomentField(required=False, label="Schedule at",
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                   help_text="Schedule execution of the job to a set time"),
        "interval": forms.IntegerField(required=False, min_value=1, max_value=MAX_INTERVAL, label="Recurs every",
                                       help_text="Interval at which this job is re-run (in minutes)"),
    }


class RunOptions(forms.Form):
    """The run options of the API body and the command line, by their NetBox names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(option_fields())

    def errors_by_name(self):
        return {name: list(errors) for name, errors in self.errors.items()}


def background_run(values, prefix=""):
    """``{"schedule_at", "interval"}`` when the cleaned ``values`` ask for a background run, else None.

    The options are taken out of ``values`` (``prefix`` ``"_"`` for the job form's names).
    """
    background, schedule_at, interval = (values.pop(prefix + name, None) for name in NAMES)
    if not (background or schedule_at or interval):
        return None
    return {"schedule_at": schedule_at, "interval": interval}
