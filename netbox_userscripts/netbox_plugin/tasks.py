"""Userscript tasks inside NetBox: each ``f.enqueue(...)`` a NetBox job on NetBox's Redis and ``rqworker``.

NetBox sets no ``TASKS``, so Django's default backend would run a task at once, inside the
request that enqueued it. The plugin makes ``NetBoxJobBackend`` the default instead (unless
NetBox's configuration sets ``TASKS`` itself): a task becomes a ``core.Job``
(*Operations > Jobs*, queued at commit by NetBox's ``Job.enqueue``) that ``rqworker`` runs
with the version of the module in use (``tasklookup``); its log lines and failure go to the
module's log, and the job ends errored when the task raised or is gone.
"""
import logging

from django.conf import global_settings, settings
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskResult, TaskResultStatus

from netbox.jobs import JobRunner
from netbox_userscripts.tasklookup import find_task, split_task_path

BACKEND = "netbox_userscripts.netbox_plugin.tasks.NetBoxJobBackend"


class UserscriptTaskJob(JobRunner):
    """One run of a userscript task, as a NetBox job."""

    class Meta:
        name = "Userscript task"

    def run(self, task_path, task_args, task_kwargs, **options):
        names = split_task_path(task_path)
        logger = logging.getLogger(f"{names[0]}.py" if names else "netbox_userscripts.tasks")
        try:
            task = find_task(task_path)
        except LookupError as exc:
            logger.error("task %s not run: %s", task_path, exc)
            raise
        logger.info("task %s started (NetBox job %s)", task_path, self.job.pk)
        try:
            result = task.call(*task_args, **task_kwargs)
        except Exception:
            logger.exception("task %s failed (NetBox job %s)", task_path, self.job.pk)
            raise
        logger.info("task %s succeeded (NetBox job %s)", task_path, self.job.pk)
        self.job.data = {"result": result}


class NetBoxJobBackend(BaseTaskBackend):
    """Django's Tasks, carried by NetBox's jobs: the task's queue is the RQ queue, its run a ``core.Job``."""

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        queue = task.queue_name if task.queue_name in settings.RQ_QUEUES else None
        # Not args=/kwargs=: RQ's enqueue() takes those two names for itself.
        job = UserscriptTaskJob.enqueue(name=task.module_path, queue_name=queue, task_path=task.module_path,
                                        task_args=list(args), task_kwargs=dict(kwargs))
        return TaskResult(task=task, id=str(job.job_id), status=TaskResultStatus.READY, enqueued_at=job.created,
                          started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
                          kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[])


def use_netbox_jobs():
    """Make NetBox's jobs the default task backend, unless NetBox's configuration chose one."""
    if settings.TASKS == global_settings.TASKS:
        settings.TASKS = {"default": {"BACKEND": BACKEND}}
