"""Runs a job now, in this process, and records it as a ``JobResult``.

The one path every front end takes (pages, API, CLI)::

    result = execute(job_class, {"site_name": "x"}, commit=True, user=user)  # raw input
    result = run_job(job_class, cleaned_data, commit=True, user=user)        # validated values

The ``JobResult`` is written as ``running`` (with this process's host and pid) before the
job's transaction begins and updated after it ended, so it survives every rollback; the
results of processes killed half way are swept to ``errored`` first
(``JobResult.sweep_abandoned``). Inside the one transaction:
``run()``, each ``test_*()`` in name order, then ``post_run()``, which runs even after
an exception. Each step has its own savepoint so that a database error in one step leaves
the connection usable for ``post_run``. The transaction is rolled back when ``commit`` is
false, for read-only jobs, when a step raised, and on ``AbortScript``; ``log_failure`` alone
marks the job failed but keeps its writes. Log entries are collected in memory and saved
with the result (no write per entry).
"""
import datetime
import decimal
import os
import time
import traceback
import uuid

from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from netaddr import IPAddress, IPNetwork

from netbox_userscripts.exceptions import AbortScript
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.scripts.base import Job
from netbox_userscripts.scripts.inputs import clean_input
from netbox_userscripts.scripts.introspection import info
from netbox_userscripts.scripts.models import JobResult, this_host
from netbox_userscripts.scripts.models import JobStatusChoices as Status


def execute(job_class, data=None, *, files=None, commit=True, user=None, request=None, on_log=None):
    """Validate raw input (JSON-like ``data``, ``files``), then ``run_job``; ``InputError`` if invalid.

    Objects are those ``user`` may view (``scripts.visibility``); without a user, any.
    """
    cleaned = clean_input(job_class, data, files, user=user)
    return run_job(job_class, cleaned, commit=commit, user=user, request=request, on_log=on_log)


def run_job(job_class, data=None, *, commit=True, user=None, request=None, on_log=None, result=None):
    """Run ``job_class`` with validated ``data`` and return its finished ``JobResult``.

    ``on_log(entry)`` is called with each log entry as it is made (the CLI prints them).
    ``result`` is a queued result that this process claimed (``jobs.background``): it is
    the one updated, instead of a new one.
    """
    meta = info(job_class)
    data = data or {}
    JobResult.sweep_abandoned()
    if result is None:
        result = new_result(meta, data, commit=commit, user=user, status=Status.RUNNING, started=timezone.now(),
                            hostname=this_host(), pid=os.getpid())
    commit, user = result.commit, result.user
    job = job_class()
    if not hasattr(job, "log_entries"):  # an __init__ that did not call super().__init__()
        Job.__init__(job)
    job.request, job.user, job.result, job._on_log = request, user, result, on_log
    started = time.perf_counter()
    try:
        status, output, trace = _run_in_transaction(job, meta, data, commit)
    except BaseException:  # the engine itself failed, or the process is being stopped
        status, output, trace = Status.ERRORED, None, traceback.format_exc()
        raise
    finally:
        result.status = status
        result.output = "" if output is None else str(output)
        result.traceback = trace
        result.log = job.log_entries
        result.completed = timezone.now()
        result.save(update_fields=["status", "output", "traceback", "log", "completed"])
        observe("job", meta.module, meta.class_name, time.perf_counter() - started, str(status))
    return result


def new_result(meta, data, *, commit, user, **fields):
    """Create the ``JobResult`` of a run of the job ``meta`` describes (``commit`` off for read-only jobs)."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return JobResult.objects.create(class_path=meta.class_path, job_name=meta.full_name, name=meta.name, user=user,
                                    data=to_json(data), commit=bool(commit) and not meta.read_only, **fields)


def _run_in_transaction(job, meta, data, commit):
    status, output, trace = Status.COMPLETED, None, ""
    with transaction.atomic():
        try:
            output = _step(job, "run", lambda: call_run(job, meta, data, commit))
            for name in meta.test_methods:
                _step(job, name, getattr(job, name))
        except Exception as exc:
            status, trace = _failure(job, exc)
        job.result.status = status if status != Status.COMPLETED else (Status.FAILED if job.failed else Status.RUNNING)
        try:
            _step(job, "post_run", job.post_run)
        except Exception as exc:
            status, trace = _failure(job, exc, status, trace)
        raised = status != Status.COMPLETED
        if job.failed and status == Status.COMPLETED:
            status = Status.FAILED
        if raised or not commit:
            transaction.set_rollback(True)
            if not meta.read_only:
                job.active_test = "transaction"
                why = "due to an error" if status == Status.ERRORED else (
                    "because the job was aborted" if raised else "automatically (commit is off)")
                job.log_info(f"Database changes have been reverted {why}.")
    return status, output, trace


def _step(job, grouping, function):
    job.active_test = grouping
    with transaction.atomic():  # a savepoint: a failed query here leaves post_run a usable connection
        return function()


def call_run(job, meta, data, commit):
    """Call the job's ``run`` the way its signature asks (NetBox's, old NetBox's, Nautobot's or none)."""
    if meta.run_style == "data_commit":
        return job.run(data, commit)
    if meta.run_style == "data":  # NetBox before 2.10: run(self, data)
        return job.run(data)
    if meta.run_style == "kwargs":  # Nautobot 2: run(self, **data)
        return job.run(**data)
    return job.run()


def _failure(job, exc, status=Status.COMPLETED, trace=""):
    """Log ``exc`` as NetBox/Nautobot do; AbortScript ends the job as failed without a traceback."""
    job.failed = True
    if isinstance(exc, AbortScript):
        job.log_failure(str(exc) or "The job was aborted.")
        return (Status.ERRORED if status == Status.ERRORED else Status.FAILED), trace
    text = traceback.format_exc()
    job._log("failure", (f"An exception occurred: `{type(exc).__name__}: {exc}`",), None, None, trace=text)
    return Status.ERRORED, trace or text


def to_json(value):
    """``value`` (cleaned job input) as JSON data: objects by primary key, addresses as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return list(value.values_list("pk", flat=True))
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, File):
        return value.name
    if isinstance(value, (IPAddress, IPNetwork, decimal.Decimal, uuid.UUID)):
        return str(value)
    return str(value)
