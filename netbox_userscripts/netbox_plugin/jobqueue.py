"""The NetBox jobs the plugin queues (tasks, background event-rule calls), handed to Redis through the tasks outbox.

NetBox's ``Job.enqueue`` saves the ``core.Job`` row and queues it on RQ in
``transaction.on_commit``: with Redis down at the commit the error escapes into a request
whose work is committed (a 500), and the job stays ``pending`` for ever, never queued.
``enqueue`` here saves the same row and, in the same transaction, an outbox row
(``TaskOutbox``, ``backend`` = ``QUEUE``) holding what the RQ job needs: the ``JobRunner``
class and its keywords (JSON). The engine's outbox hands it over after the commit and, while
Redis does not take it, again from every process's heartbeat (the web workers' and
``rqworker``'s) until it does.

``hand_off`` (the outbox's adapter) queues ``runner.handle`` under the job's id, as NetBox
would have; a job that is no longer waiting (run, deleted) or whose RQ job exists already (an
earlier hand-off reached Redis) is not queued again, so it runs once.
"""
import uuid

import django_rq
from core.choices import JobNotificationChoices, JobStatusChoices
from core.models import Job
from django.utils import timezone
from django.utils.module_loading import import_string
from redis.exceptions import RedisError
from rq.job import Job as RQJob

from netbox_userscripts.tasks import outbox
from utilities.rqworker import get_queue_for_model

QUEUE = "netbox.jobs"  # the outbox rows' ``backend``: NetBox's job queues, no TASKS backend
ERRORS = (RedisError, OSError)
WAITING = (JobStatusChoices.STATUS_PENDING, JobStatusChoices.STATUS_SCHEDULED)


def install():
    """Let the engine's outbox hand this module's rows over (every process: web workers and ``rqworker``)."""
    outbox.add_queue(QUEUE, __name__)


def enqueue(runner, *, name, user=None, schedule_at=None, queue_name=None, **kwargs):
    """A ``core.Job`` for ``runner`` (a ``JobRunner``) run with ``kwargs`` (JSON), queued once the caller commits."""
    rq_queue_name = queue_name or get_queue_for_model(None)
    job = Job(name=name, user=user, job_id=uuid.uuid4(), queue_name=rq_queue_name, scheduled=schedule_at,
              status=JobStatusChoices.STATUS_SCHEDULED if schedule_at else JobStatusChoices.STATUS_PENDING,
              notifications=JobNotificationChoices.NOTIFICATION_ALWAYS)
    job.full_clean()
    job.save()
    outbox.record(outbox.rows()(
        id=str(job.job_id), backend=QUEUE, task_path=f"{runner.__module__}.{runner.__qualname__}",
        queue_name=rq_queue_name, run_after=schedule_at, args_kwargs={"args": [], "kwargs": kwargs},
        enqueued_at=timezone.now()))
    return job


def hand_off(backend, row):
    """Queue the job of ``row`` on RQ unless it is no longer waiting or RQ has it; Redis errors propagate."""
    job = Job.objects.filter(job_id=row.id, status__in=WAITING).first()
    if job is None:
        return  # run already, or deleted by a user: nothing to queue
    queue = django_rq.get_queue(job.queue_name, commit_mode="auto")  # now: this is after the commit
    if RQJob.exists(row.id, connection=queue.connection):
        return
    handle = import_string(row.task_path).handle
    if job.scheduled:
        queue.enqueue_at(job.scheduled, handle, job_id=row.id, job=job, **row.args_kwargs["kwargs"])
    else:
        queue.enqueue(handle, job_id=row.id, job=job, **row.args_kwargs["kwargs"])


def run_now(row):
    """Run the job of ``row`` in this process, as ``rqworker`` would (``runner.handle``); the ``core.Job``, ended.

    For the test kit's ``run_tasks`` inside NetBox (``outbox.run_host_rows_now``).
    """
    job = Job.objects.get(job_id=row.id)
    import_string(row.task_path).handle(job, **row.args_kwargs["kwargs"])
    job.refresh_from_db()
    return job
