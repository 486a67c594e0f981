"""The runs of userscripts' tasks, as people read them: the page, the API and ``userscripts --tasks``.

A run is a row of the database backend (django-tasks-db's ``DBTaskResult``): task,
arguments, status, enqueue, start and end, the worker (``host:pid``), the return value or
the error. Statuses are shown with the words people use: queued, running, succeeded, failed.
With RQ as the default backend (``django-tasks-rq``) the runs are read from RQ's own
registries instead (``rq.runs``): RQ keeps a finished run for its result TTL. Inside
NetBox the runs are NetBox's jobs (``netbox_plugin.taskjobs``).
"""
from django.apps import apps
from django.utils.module_loading import import_string

from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.tasks.decorator import TaskResultStatus, task_backends
from netbox_userscripts.tasks.workerid import parse as parse_worker

STATUSES = {
    "queued": TaskResultStatus.READY,
    "running": TaskResultStatus.RUNNING,
    "succeeded": TaskResultStatus.SUCCESSFUL,
    "failed": TaskResultStatus.FAILED,
}
WORDS = {str(value): word for word, value in STATUSES.items()}
# backend class -> the function that lists its runs (backend, script=, status=, limit=)
RUN_SOURCES = {"django_tasks_rq.backend.RQBackend": "netbox_userscripts.tasks.rq.runs.recent_runs",
               "netbox_userscripts.netbox_plugin.taskjobs.NetBoxJobBackend":  # inside NetBox: its jobs
               "netbox_userscripts.netbox_plugin.taskjobs.recent_runs"}


def status_value(word):
    """The backend's status for ``word`` (queued, running, succeeded, failed); ``ValueError`` otherwise."""
    try:
        return STATUSES[word.lower()]
    except KeyError:
        raise ValueError(f"{word!r} is not a task status (one of {', '.join(STATUSES)}).") from None


def recent_runs(script=None, status=None, limit=50):
    """The latest runs of userscripts' tasks, newest first, as dicts; ``script`` a module name.

    Read from the default backend: the database's rows, or (``RUN_SOURCES``) another
    backend's own record of its runs, such as RQ's registries.
    """
    backend = task_backends["default"]
    source = RUN_SOURCES.get(f"{type(backend).__module__}.{type(backend).__qualname__}")
    if source is not None:
        wanted = status_value(status) if status else None
        return import_string(source)(backend, script=script, status=wanted, limit=limit)
    if not apps.is_installed("django_tasks_db"):
        return []
    runs = apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path__startswith=f"{PACKAGE}.")
    if script:
        runs = runs.filter(task_path__startswith=f"{PACKAGE}.{script}.")
    if status:
        runs = runs.filter(status=status_value(status))
    return [describe(run) for run in runs.order_by("-enqueued_at")[:limit]]


def describe(run):
    """One run (a ``DBTaskResult``) as a dict."""
    return row(run.id, run.task_path, run.args_kwargs.get("args", []), run.args_kwargs.get("kwargs", {}),
               run.status, run.enqueued_at, run.started_at, run.finished_at, run.worker_ids, run.return_value,
               run.traceback)


def row(run_id, task_path, args, kwargs, status, enqueued_at, started_at, finished_at, worker_ids, result, trace):
    """One run as the dict the page, the API and the command show, whatever backend ran it."""
    _, script, function = (task_path.split(".", 2) + ["", ""])[:3]
    worker = parse_worker(worker_ids[-1] if worker_ids else "")
    trace = trace or ""
    lines = trace.strip().splitlines()
    return {
        "id": str(run_id),
        "task": f"{script}.{function}",
        "script": script,
        "function": function,
        "args": list(args),
        "kwargs": dict(kwargs),
        "status": WORDS.get(str(status), str(status).lower()),
        "enqueued_at": _iso(enqueued_at),
        "started_at": _iso(started_at),
        "finished_at": _iso(finished_at),
        "worker": worker.display if worker else (worker_ids[-1] if worker_ids else ""),
        "attempts": len(worker_ids),
        "host": worker.host if worker else "",
        "pid": worker.pid if worker else None,
        "result": result,
        "error": lines[-1] if lines else "",
        "traceback": trace,
    }


def _iso(moment):
    return moment.isoformat() if moment else None
