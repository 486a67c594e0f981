"""Jobs run in the background: queued as a ``JobResult`` and a task, run by a task worker.

NetBox's names: ``background``, ``schedule_at`` (a moment in the future) and ``interval``
(minutes; the job runs again that long after each run's due time). The page, the API and
``runjob --background`` check them with the fields of ``options`` (the same checks and
messages everywhere), then::

    result = queue(job_class, cleaned_data, commit=True, user=user, schedule_at=when, interval=60)

``queue`` writes the result ``pending`` (``scheduled`` when ``schedule_at`` is given) and
enqueues ``run_queued`` with the result's id, in one transaction: the task exists exactly
when the result does (the database backend writes both in it; RQ's is handed the task from
the outbox after the commit). On RQ, a queue whose Redis does not answer refuses the run
first (``QueueUnavailable``, naming the queue: the API's and the page's 503), so no result
is left pending for a worker that cannot get it. A worker's ``run_queued`` claims the result (one UPDATE from queued to
running, so a run delivered twice runs once), looks the job up in the registry's version in
use, validates the stored input again (an object deleted meanwhile is an ``errored`` run that
says so) and runs it on the one run path, ``runner.run_job``. A recurring run queues its
next run first thing after it ends, whatever its outcome; a due time missed while no worker
ran is skipped, not caught up. Deleting a queued result cancels it (and the recurrence).
"""
import os
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from netbox_userscripts.jobs.runner import new_result, run_job
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as central_log
from netbox_userscripts.scripts.inputs import InputError, clean_input
from netbox_userscripts.scripts.introspection import info
from netbox_userscripts.scripts.models import JobResult, failure_entry, this_host
from netbox_userscripts.scripts.models import JobStatusChoices as Status
from netbox_userscripts.scripts.vars import FileVar
from netbox_userscripts.tasks.decorator import task
from netbox_userscripts.tasks.outbox import unreachable

NO_FILES = "A job with a file variable ({names}) runs only now, not in the background."
NO_QUEUE = "Cannot run in the background now: {reason}. Nothing was queued; try again when it is back."


class CannotQueue(ValueError):
    """A job that cannot run in the background; the message says why."""


class QueueUnavailable(RuntimeError):
    """The task queue (RQ's Redis) does not answer: nothing was queued (the API's and the page's 503)."""


def refuse_files(job_class):
    """``CannotQueue`` if the job has a file variable: an upload cannot wait for a worker."""
    names = [name for name, var in info(job_class).vars.items() if isinstance(var, FileVar)]
    if names:
        raise CannotQueue(NO_FILES.format(names=", ".join(names)))


def submit(job_class, data=None, *, commit, user=None, schedule_at=None, interval=None):
    """Validate raw input (as ``runner.execute``), then ``queue``; ``CannotQueue`` or ``InputError`` if refused."""
    refuse_files(job_class)
    cleaned = clean_input(job_class, data, user=user)
    return queue(job_class, cleaned, commit=commit, user=user, schedule_at=schedule_at, interval=interval)


def queue(job_class, data, *, commit, user=None, schedule_at=None, interval=None):
    """Queue a run of ``job_class`` with validated ``data``; returns its ``JobResult`` (pending or scheduled)."""
    refuse_files(job_class)
    reason = unreachable(run_queued)  # asked first: a result nobody can run is not written
    if reason is not None:
        raise QueueUnavailable(NO_QUEUE.format(reason=reason))
    status = Status.SCHEDULED if schedule_at else Status.PENDING
    with transaction.atomic():
        result = new_result(info(job_class), data, commit=commit, user=user, status=status,
                            scheduled=schedule_at, interval=interval)
        _enqueue(result)
    return result


def _enqueue(result):
    runner = run_queued.using(run_after=result.scheduled) if result.scheduled else run_queued

    def record(task_result):  # now (the database backend) or after the commit (RQ): one column either way
        result.task_id = str(task_result.id)[:64]
        JobResult.objects.filter(pk=result.pk).update(task_id=result.task_id)

    runner.enqueue_then(record, result.pk)


@task
def run_queued(result_id):
    """Run the queued ``JobResult`` ``result_id`` in this worker; returns its final status."""
    claimed = JobResult.objects.filter(pk=result_id, status__in=[Status.PENDING, Status.SCHEDULED]).update(
        status=Status.RUNNING, started=timezone.now(), hostname=this_host(), pid=os.getpid())
    if not claimed:
        return None  # deleted (cancelled), or run already
    result = JobResult.objects.select_related("user").get(pk=result_id)
    try:
        job_class = registry.get_job(result.job_name)
        cleaned = clean_input(job_class, result.data)
    except (LookupError, InputError) as exc:
        result = _errored(result, str(exc))
    else:
        result = run_job(job_class, cleaned, result=result)
    finally:
        if result.interval:
            queue_next(result)
    return result.status


def queue_next(result):
    """Queue the next run of a recurring result: ``interval`` minutes after its due time, in the future."""
    step = timedelta(minutes=result.interval)
    due = (result.scheduled or result.started) + step
    now = timezone.now()
    if due <= now:  # the worker was down: the next due time from now on, once
        due += step * ((now - due) // step + 1)
    with transaction.atomic():
        following = JobResult.objects.create(
            class_path=result.class_path, job_name=result.job_name, name=result.name, user=result.user,
            status=Status.SCHEDULED, data=result.data, commit=result.commit, scheduled=due, interval=result.interval)
        _enqueue(following)
    return following


def _errored(result, message):
    """End ``result`` errored with ``message`` (its job or input is gone), logged like a run's failure."""
    now = timezone.now()
    result.status, result.completed, result.traceback = Status.ERRORED, now, message + "\n"
    result.log = list(result.log or []) + [failure_entry(now, message)]
    result.save(update_fields=["status", "completed", "traceback", "log"])
    module, _, class_name = result.job_name.partition(".")
    central_log.logger_for(module).error("%s [run] failure: %s (job result #%s)", class_name, message, result.pk)
    return result
