"""Run a userscript's job in a test, as Nautobot's ``run_job_for_testing`` does: by its path, with input.

The job takes the one path every front end takes (``jobs.runner.execute``): its input
checked through its form as the page and the API check it, ``run()`` and its tests in one
transaction, rolled back unless ``commit``. The ``JobResult`` comes back with its status,
log entries and output.
"""
from netbox_userscripts.jobs.runner import execute
from netbox_userscripts.loading.registry import registry


def run_job(path, data=None, *, commit=True, user=None):
    """Run the loaded job ``path`` (``MODULE.ClassName`` or ``local/MODULE/ClassName``); its ``JobResult``.

    ``data`` is the input as a form or the API would give it (an object's id for an object
    variable); bad input raises ``InputError`` naming each variable that is wrong.
    """
    return execute(registry.get_job(path), data or {}, commit=commit, user=user)


def log_messages(result, level=None):
    """The messages of a ``JobResult``'s log, of ``level`` ("info", "success", "failure", ...) only when given."""
    return [entry["message"] for entry in result.log if level is None or entry["level"] == level]
