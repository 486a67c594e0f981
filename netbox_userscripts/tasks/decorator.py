"""Background tasks for userscripts: Django's Tasks decorator, with the checks a userscript needs.

``from netbox_userscripts.tasks import task`` is Django's ``task`` (``django.tasks`` from
Django 6.0, the ``django-tasks`` backport before), returning a ``UserscriptTask``, a Django
``Task`` whose ``enqueue()``:

- refuses an argument that is not JSON (a model instance passed by mistake) with a
  ``TypeError`` naming the argument, before anything is queued;
- inside a transaction, queues the task when the transaction commits and never if it rolls
  back. The database backend gets this for free (its row is written in the same
  transaction); RQ's gets it from the ``outbox`` (a row written in the same transaction,
  handed to Redis after the commit, and again until Redis takes it, so a commit never loses
  a task to a Redis that is down); any other backend is handed the task from
  ``transaction.on_commit``.

``@task(every=timedelta(minutes=5))`` and ``@task(cron="0 3 * * *")`` schedule a task
(``schedules``, run by the workers' ``scheduler``). Tasks run in a worker (``manage.py
userscripts_worker``, see ``worker``), which finds the function in the version of its module in use.
"""
import json
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

from netbox_userscripts.tasks import outbox
from netbox_userscripts.tasks.framework import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    Task,
    TaskResultStatus,
    django_task,
    task_backends,
)
from netbox_userscripts.tasks.schedules import Schedule, ScheduleError

__all__ = ["DEFAULT_TASK_BACKEND_ALIAS", "DEFAULT_TASK_QUEUE_NAME", "ScheduleError", "Task", "TaskResultStatus",
           "UserscriptTask", "task", "task_backends"]


@dataclass(frozen=True, slots=True, kw_only=True)
class UserscriptTask(Task):
    """A Django ``Task`` whose arguments are checked and whose enqueue waits for the commit."""

    schedule: Schedule = None
    max_attempts: int = 1
    backoff: timedelta = timedelta(seconds=10)

    def using(self, *, priority=None, queue_name=None, run_after=None, backend=None):
        """Django's ``using``, returning this task itself when nothing would change.

        The database backend describes every run it stores with ``task.using(...)`` of the
        run's own values (twice per enqueue): a frozen copy that is validated again for nothing.
        """
        wanted = {"priority": priority, "queue_name": queue_name, "run_after": run_after, "backend": backend}
        if all(value is None or getattr(self, name) == value for name, value in wanted.items()):
            return self
        # Task.using, not super(): a slots dataclass is a new class, which zero-argument super() does not see
        return Task.using(self, priority=priority, queue_name=queue_name, run_after=run_after, backend=backend)

    def retry_delay(self, attempts):
        """How long to wait before the attempt after ``attempts`` failed ones: the back-off, doubled each time."""
        return self.backoff * 2 ** (attempts - 1)

    def enqueue(self, *args, **kwargs):
        return self.enqueue_then(None, *args, **kwargs)

    def enqueue_then(self, queued, *args, **kwargs):
        """``enqueue(*args, **kwargs)``, then ``queued(task result)`` once the backend has the task.

        That is now, or at the commit where the backend is handed the task then (the
        result is None until then); ``queued`` may be None.
        """
        check_json_arguments(self.name, args, kwargs)
        backend = self.get_backend()
        if outbox.keeps(backend):  # RQ: a row in this transaction, handed to Redis after the commit
            result = outbox.enqueue(backend, self, args, kwargs)
            if queued is not None:
                queued(result)
            return result
        if transaction.get_connection().in_atomic_block and not writes_in_transaction(backend):
            transaction.on_commit(partial(_enqueue, backend, self, args, kwargs, queued))
            return None
        return _enqueue(backend, self, args, kwargs, queued)


def _enqueue(backend, task_, args, kwargs, queued):
    result = backend.enqueue(task_, args, kwargs)
    if queued is not None:
        queued(result)
    return result


def task(function=None, *, every=None, cron=None, max_attempts=1, backoff=timedelta(seconds=10), **options):
    """``@task`` or ``@task(priority=..., queue_name=..., backend=..., every=... or cron=..., max_attempts=...)``.

    Django's decorator; ``every`` (a ``timedelta`` of a second or more) or ``cron`` (five
    fields) schedules the task. A wrong schedule (one that never fires, or not within five years)
    raises ``ScheduleError`` naming the task when the module loads.
    A task that raises is run again up to ``max_attempts`` times in all, after ``backoff``,
    then twice that, and so on (the database worker).
    """
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise ValueError(f"@task(max_attempts=...) must be a whole number of 1 or more, got {max_attempts!r}.")
    if not isinstance(backoff, timedelta) or backoff < timedelta(0):
        raise ValueError(f"@task(backoff=...) must be a datetime.timedelta of 0 or more, got {backoff!r}.")

    def wrap(func):
        try:
            schedule = Schedule.make(every=every, cron=cron)
        except ScheduleError as exc:  # the module's load fails naming the task
            raise ScheduleError(f"task {func.__name__} of {func.__module__}: {exc}") from None
        backend = options.get("backend", "default")
        made = django_task(**options)(func)  # Django validates the options and the function
        return UserscriptTask(func=made.func, priority=made.priority, backend=backend,
                              queue_name=made.queue_name, run_after=made.run_after,
                              takes_context=made.takes_context, schedule=schedule,
                              max_attempts=max_attempts, backoff=backoff)

    return wrap(function) if function is not None else wrap


def check_json_arguments(name, args, kwargs):
    """Raise ``TypeError`` naming the first argument that JSON cannot carry."""
    try:
        json.dumps((args, kwargs))  # one pass over all of them; each is looked at only to name the wrong one
        return
    except (TypeError, ValueError):
        pass
    named = [(f"argument {i + 1}", value) for i, value in enumerate(args)]
    named += [(f"argument {key!r}", value) for key, value in kwargs.items()]
    for label, value in named:
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{name}.enqueue(): {label} is a {type(value).__name__}, which is not JSON ({exc}); "
                            "pass plain values such as the object's id.") from None


def writes_in_transaction(backend):
    """True for a backend that stores a task in the database, inside the caller's transaction (the database
    backend; a host's backend saying so, as the NetBox jobs backend does: its job row and outbox row)."""
    return isinstance(backend, DatabaseBackend) or getattr(backend, "writes_in_transaction", False)
