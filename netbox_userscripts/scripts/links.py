"""Links to the objects that job log entries refer to.

A log entry stores a reference (``object_type`` and ``object_id``), not a URL: reversing
one while a job runs would load the whole URLconf in ``runjob``. The link is made when the
entry is shown: the object's ``get_absolute_url()``, else its admin page, else none.
"""
from django.apps import apps
from django.urls import NoReverseMatch, reverse


def entry_url(entry):
    """The link of a log entry's object (from its reference), or None."""
    if entry.get("url") or not entry.get("object_type") or entry.get("object_id") is None:
        return entry.get("url")
    try:
        model = apps.get_model(entry["object_type"])
    except (LookupError, ValueError):
        return None  # the model is gone (an app removed since the run)
    return object_url(model(pk=entry["object_id"]))


_no_url = set()  # models with neither get_absolute_url nor an admin page: skip the lookup


def object_url(obj):
    """A link to ``obj``: its ``get_absolute_url()``, else its admin page, else None."""
    getter = getattr(obj, "get_absolute_url", None)
    if getter is not None:
        try:
            return getter()
        except Exception:  # a broken get_absolute_url must not break the job's logging
            return None
    meta = getattr(obj, "_meta", None)
    if meta is None or getattr(obj, "pk", None) is None or meta.label_lower in _no_url:
        return None
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        _no_url.add(meta.label_lower)
        return None
