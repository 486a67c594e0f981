"""Handing an outbox row to RQ (``django-tasks-rq``) as the job its backend would have made, under the row's id.

``outbox`` calls ``hand_off(backend, row)`` after the commit, and again until Redis takes
it. The job is django-tasks-rq's own (its job class, callbacks, ``backend_name`` meta,
queue or scheduled registry, priority at the front), with the row's id as the job id: a
job that already exists under that id (an earlier hand-off reached Redis, then its process
died or the answer was lost) is not made again, so a task is queued once. ``reachable``
asks a queue's Redis before a background run is accepted. Redis's errors are ``ERRORS``.
"""
import django_rq
from django_tasks_rq.backend import Job, failed_callback, success_callback
from redis.exceptions import RedisError
from rq.job import Callback, JobStatus

from netbox_userscripts.tasks.framework import TASK_MAX_PRIORITY

ERRORS = (RedisError, OSError)


def hand_off(backend, row):
    """Queue ``row`` on RQ unless a job with its id exists there; Redis errors (``ERRORS``) propagate."""
    queue = django_rq.get_queue(row.queue_name, job_class=Job)
    if Job.exists(row.id, connection=queue.connection):
        return
    job = queue.create_job(
        row.task_path, args=row.args_kwargs["args"], kwargs=row.args_kwargs["kwargs"], job_id=row.id,
        status=JobStatus.SCHEDULED if row.run_after else JobStatus.QUEUED,
        on_failure=Callback(failed_callback), on_success=Callback(success_callback),
        meta={"backend_name": backend.alias})
    if row.run_after is None:
        queue.enqueue_job(job, at_front=row.priority == TASK_MAX_PRIORITY)
    else:
        queue.schedule_job(job, row.run_after)


def reachable(backend, queue_name):
    """None when the Redis of ``queue_name`` answers, else why not (the queue and its Redis named)."""
    queue = django_rq.get_queue(queue_name, job_class=Job)
    try:
        queue.connection.ping()
    except ERRORS as exc:
        kwargs = queue.connection.connection_pool.connection_kwargs
        where = f"Redis at {kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
        return f"the task queue {queue_name!r} ({where}) cannot be reached: {type(exc).__name__}: {exc}"
    return None
