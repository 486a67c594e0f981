"""Userscript tasks inside NetBox: each run a NetBox job on NetBox's Redis, run by ``netbox rqworker``.

NetBox leaves Django's ``TASKS`` setting alone, so Django's default task backend there is
the immediate one, which would run a task inline, in the request that enqueued it. The
plugin makes the default backend ``NetBoxJobBackend`` instead (``install``, before the
userscripts load): ``f.enqueue(...)`` creates a NetBox job (Operations > Jobs) whose
``rqworker`` run finds the task in the registry's version in use of its module, as the
project's own worker does, and calls it. The task's log lines go to its module's logger
(the central log) and to the job's log; its return value is the job's data; a task that
raises leaves the job errored with its traceback, and one whose module or function is gone
leaves it errored saying which. The userscripts page, its API and ``userscripts --tasks``
list these jobs (``recent_runs``). A project that sets ``TASKS`` itself keeps its own. The job
is queued through the tasks outbox (``jobqueue``): a task enqueued in a transaction that
commits runs even when Redis is down at the commit, once Redis is back.
"""
import logging
import time

from core.choices import JobStatusChoices
from core.models import Job
from django.conf import global_settings, settings
from django.tasks.backends.base import BaseTaskBackend  # NetBox 4.7 runs on Django 6: django.tasks is built in
from django.tasks.base import TaskError, TaskResult
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils.json import normalize_json

from netbox.jobs import JobLogHandler, JobRunner
from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.metrics.slowhooks import running
from netbox_userscripts.netbox_plugin import jobqueue
from netbox_userscripts.tasks.decorator import TaskResultStatus
from netbox_userscripts.tasks.lookup import find_task, split_task_path
from netbox_userscripts.tasks.runs import row

BACKEND = f"{__name__}.NetBoxJobBackend"
NAME = "Userscript task "  # + MODULE.FUNCTION: the job's name in NetBox's list
STATUSES = {
    JobStatusChoices.STATUS_PENDING: TaskResultStatus.READY,
    JobStatusChoices.STATUS_SCHEDULED: TaskResultStatus.READY,
    JobStatusChoices.STATUS_RUNNING: TaskResultStatus.RUNNING,
    JobStatusChoices.STATUS_COMPLETED: TaskResultStatus.SUCCESSFUL,
    JobStatusChoices.STATUS_ERRORED: TaskResultStatus.FAILED,
    JobStatusChoices.STATUS_FAILED: TaskResultStatus.FAILED,
}


class MessageJobLogHandler(JobLogHandler):
    """NetBox's job log keeps a record's ``msg`` as it is; a userscript logs with ``%s`` arguments."""

    def emit(self, record):
        super().emit(logging.makeLogRecord({**record.__dict__, "msg": record.getMessage(), "args": None}))


class UserscriptTaskJob(JobRunner):
    """One run of a userscript task, as NetBox runs its jobs."""

    class Meta:
        name = "Userscript task"

    def run(self, task_path, task_args=(), task_kwargs=None, **_):  # rq keeps "args" and "kwargs" for itself
        task = find_task(task_path)  # LookupError saying why: the job ends errored with it
        module_name, function_name = split_task_path(task_path)
        logger = log.logger_for(module_name)
        to_the_job = MessageJobLogHandler(self.job)
        to_the_job.setLevel(logging.DEBUG)
        logger.addHandler(to_the_job)
        started, watched, status = time.perf_counter(), running.enter("task", module_name, function_name), "failed"
        try:
            logger.info("task %s (job %s) started", function_name, self.job.pk)
            result = task.call(*task_args, **(task_kwargs or {}))
            logger.info("task %s (job %s) succeeded", function_name, self.job.pk)
            status = "successful"
        except Exception:
            logger.exception("task %s (job %s) failed", function_name, self.job.pk)
            raise
        finally:
            logger.removeHandler(to_the_job)
            running.exit(watched)
            observe("task", module_name, function_name, time.perf_counter() - started, status)
        self.job.data = {"result": normalize_json(result)}


class NetBoxJobBackend(BaseTaskBackend):
    """A Django Tasks backend whose runs are NetBox jobs (``UserscriptTaskJob``) on NetBox's queues."""

    supports_defer = True
    supports_get_result = True
    # The job row and its outbox row are written in the caller's transaction (``jobqueue``): a task enqueued in a
    # transaction is recorded with its work, and handed to Redis once that commits (never if it rolls back).
    writes_in_transaction = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        queue = None if task.queue_name == "default" else task.queue_name
        job = jobqueue.enqueue(UserscriptTaskJob, name=NAME + task.module_path.partition(".")[2],
                               schedule_at=task.run_after, queue_name=queue, task_path=task.module_path,
                               task_args=list(args), task_kwargs=dict(kwargs))
        return self._result(task, job)

    def get_result(self, result_id):
        job = Job.objects.filter(job_id=result_id, name__startswith=NAME).first()
        if job is None:
            raise TaskResultDoesNotExist(result_id)
        try:
            task = find_task(f"{PACKAGE}.{job.name[len(NAME):]}")
        except LookupError:
            raise TaskResultDoesNotExist(result_id) from None
        return self._result(task, job)

    def _result(self, task, job):
        result = TaskResult(
            task=task, id=str(job.job_id), status=STATUSES.get(job.status, TaskResultStatus.READY),
            enqueued_at=job.created, started_at=job.started, finished_at=job.completed,
            last_attempted_at=job.started, args=[], kwargs={}, backend=self.alias,
            errors=[TaskError(exception_class_path="", traceback=job.error)] if job.error else [],
            worker_ids=[])
        object.__setattr__(result, "_return_value", (job.data or {}).get("result"))
        return result


def recent_runs(backend, script=None, status=None, limit=50):
    """The latest runs of userscripts' tasks as NetBox jobs, newest first, for ``tasks.runs`` (the page, the API)."""
    jobs = Job.objects.filter(name__startswith=NAME + (f"{script}." if script else ""))
    if status:
        jobs = jobs.filter(status__in=[job_status for job_status, value in STATUSES.items() if value == status])
    runs = []
    for job in jobs.order_by("-created")[:limit]:
        data = job.data if isinstance(job.data, dict) else {}
        runs.append(row(job.job_id, f"{PACKAGE}.{job.name[len(NAME):]}", [], {}, STATUSES.get(job.status, job.status),
                        job.created, job.started, job.completed, [], data.get("result"), job.error))
    return runs


def install():
    """Make the NetBox job queue Django's default task backend, unless the project set ``TASKS`` itself."""
    if settings.TASKS == global_settings.TASKS:
        settings.TASKS = {"default": {"BACKEND": BACKEND}}
