"""The runs of userscripts' tasks, as people read them: the page, the API and ``userscripts --tasks``.

A run is a row of the database backend (django-tasks-db's ``DBTaskResult``): task,
arguments, status, enqueue, start and end, the worker (``host:pid``), the return value or
the error. Statuses are shown with the words people use: queued, running, succeeded, failed.
A host without that backend (NetBox, whose tasks go to RQ) has no runs to list here.
"""
from django.apps import apps

from netbox_userscripts.loader import PACKAGE
from netbox_userscripts.tasks import TaskResultStatus

STATUSES = {
    "queued": TaskResultStatus.READY,
    "running": TaskResultStatus.RUNNING,
    "succeeded": TaskResultStatus.SUCCESSFUL,
    "failed": TaskResultStatus.FAILED,
}
WORDS = {str(value): word for word, value in STATUSES.items()}


def status_value(word):
    """The backend's status for ``word`` (queued, running, succeeded, failed); ``ValueError`` otherwise."""
    try:
        return STATUSES[word.lower()]
    except KeyError:
        raise ValueError(f"{word!r} is not a task status (one of {', '.join(STATUSES)}).") from None


def recent_runs(script=None, status=None, limit=50):
    """The latest runs of userscripts' tasks, newest first, as dicts; ``script`` a module name."""
    if not apps.is_installed("django_tasks_db"):
        return []
    runs = apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path__startswith=f"{PACKAGE}.")
    if script:
        runs = runs.filter(task_path__startswith=f"{PACKAGE}.{script}.")
    if status:
        runs = runs.filter(status=status_value(status))
    return [describe(run) for run in runs.order_by("-enqueued_at")[:limit]]


def describe(run):
    """One run as a dict."""
    _, script, function = (run.task_path.split(".", 2) + ["", ""])[:3]
    worker = run.worker_ids[-1] if run.worker_ids else ""
    host, _, pid = worker.rpartition(":")
    lines = run.traceback.strip().splitlines()
    return {
        "id": str(run.id),
        "task": f"{script}.{function}",
        "script": script,
        "function": function,
        "args": run.args_kwargs.get("args", []),
        "kwargs": run.args_kwargs.get("kwargs", {}),
        "status": WORDS.get(run.status, run.status.lower()),
        "enqueued_at": _iso(run.enqueued_at),
        "started_at": _iso(run.started_at),
        "finished_at": _iso(run.finished_at),
        "worker": worker,
        "attempts": len(run.worker_ids),
        "host": host,
        "pid": int(pid) if pid.isdigit() else None,
        "result": run.return_value,
        "error": lines[-1] if lines else "",
        "traceback": run.traceback,
    }


def _iso(moment):
    return moment.isoformat() if moment else None
