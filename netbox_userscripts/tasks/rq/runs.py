"""The runs of userscripts' tasks as RQ keeps them: its queues and registries, read for ``tasks.runs``.

A run is an RQ job of the backend's queues: waiting (the queue, the scheduled and deferred
registries), running (started), succeeded (finished) or failed (failed), kept by RQ for
the result TTL (``DEFAULT_RESULT_TTL``) and failure TTL. Described from the job's own record
(function path, arguments, times, worker, results), never by importing the task, so a run
of a task deleted since is still listed.
"""
import django_rq
from rq.job import Job, JobStatus
from rq.results import Result

from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.tasks.decorator import TaskResultStatus
from netbox_userscripts.tasks.runs import row

STATUS = {JobStatus.QUEUED: TaskResultStatus.READY, JobStatus.SCHEDULED: TaskResultStatus.READY,
          JobStatus.DEFERRED: TaskResultStatus.READY, JobStatus.STARTED: TaskResultStatus.RUNNING,
          JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL, JobStatus.FAILED: TaskResultStatus.FAILED,
          JobStatus.STOPPED: TaskResultStatus.FAILED, JobStatus.CANCELED: TaskResultStatus.FAILED}


def _ids(queue, status, limit):
    """The ids of up to ``limit`` latest jobs of ``queue`` with ``status`` (None: every status)."""
    registries = {
        TaskResultStatus.READY: [queue.scheduled_job_registry, queue.deferred_job_registry],
        TaskResultStatus.RUNNING: [queue.started_job_registry],
        TaskResultStatus.SUCCESSFUL: [queue.finished_job_registry],
        TaskResultStatus.FAILED: [queue.failed_job_registry],
    }
    wanted = [status] if status else list(registries)
    ids = queue.get_job_ids()[-limit:] if TaskResultStatus.READY in wanted else []
    for key in wanted:
        for registry in registries[key]:
            ids += registry.get_job_ids(0, limit - 1, desc=True)
    return ids


def recent_runs(backend, script=None, status=None, limit=50):
    """The latest runs of userscripts' tasks on ``backend``'s queues, newest first."""
    prefix = f"{PACKAGE}.{script}." if script else f"{PACKAGE}."
    connection = django_rq.get_connection()
    jobs = []
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        ids = list(dict.fromkeys(_ids(queue, status, limit)))
        jobs += [job for job in Job.fetch_many(ids, connection=connection) if job is not None]
    runs = []
    for job in jobs:
        if not (job.func_name or "").startswith(prefix):
            continue
        state = STATUS.get(job.get_status(refresh=False), TaskResultStatus.READY)
        if status and state != status:
            continue
        runs.append(describe(job, state))
    runs.sort(key=lambda run: run["enqueued_at"] or "", reverse=True)
    return runs[:limit]


def describe(job, state):
    results = job.results()
    workers = [result.worker_name for result in results if result.worker_name]
    if job.worker_name and state == TaskResultStatus.RUNNING:
        workers.append(job.worker_name)
    last = results[0] if results else None  # newest first
    value = last.return_value if last is not None and last.type == Result.Type.SUCCESSFUL else None
    trace = last.exc_string if last is not None and last.type == Result.Type.FAILED else ""
    return row(job.id, job.func_name, job.args or [], job.kwargs or {}, state, job.enqueued_at or job.created_at,
               job.started_at, job.ended_at, workers, value, trace)
