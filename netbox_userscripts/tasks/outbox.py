"""The tasks outbox: a task for RQ written in the caller's transaction, handed to Redis after it commits.

A backend outside the database (RQ) cannot take part in the caller's transaction: handed
the task at the commit, a Redis that is down then would lose it (and raise into a request
whose work is already committed). So ``enqueue`` writes a ``TaskOutbox`` row in the
transaction instead, and after the commit ``hand_off`` gives it to the backend under the
row's id and deletes it. The row commits and rolls back with the work that enqueued it.

When Redis does not take it, the failure is logged once per outage (``outage``), the row
stays, and it is handed over again by ``hand_over_waiting``: every process's heartbeat
(``fleet.processes``, every second) runs it, the committing one's and every worker's, until
Redis answers. A task is queued once however many processes try at the same time: a
hand-off first claims its row with one conditional UPDATE (free, or its claim's lease run
out), which one process wins on SQLite and PostgreSQL alike, and the backend makes no second
job under an id it already has (``rq.handoff``: a hand-off that reached Redis before its
process died).

``HAND_OFFS`` names, per backend class, the adapter that hands a row over (``hand_off``,
``reachable``, ``ERRORS``); a backend not named there (the database's, whose rows are already
written in the transaction, or Django's immediate one) does not use the outbox. A host's own
queue that is no ``TASKS`` backend (NetBox's jobs) adds its adapter under a name of its own
(``add_queue``) and writes its rows with ``record``; their ``backend`` is that name.
"""
import logging
import threading
import time
import uuid
from datetime import timedelta
from functools import partial
from importlib import import_module

from django.apps import apps
from django.db import DatabaseError, router, transaction
from django.db.models import F, Q
from django.utils import timezone

from netbox_userscripts.tasks.framework import TaskResult, TaskResultStatus, task_backends, task_enqueued

HAND_OFFS = {"django_tasks_rq.backend.RQBackend": "netbox_userscripts.tasks.rq.handoff"}
LEASE = timedelta(seconds=60)  # a claim's life: far beyond a hand-off's Redis timeouts
PAUSE = 1.0  # seconds a process leaves the queue alone after it failed
BATCH = 500  # rows one pass of hand_over_waiting tries

logger = logging.getLogger("netbox_userscripts.tasks")
host_queues = {}  # a row's ``backend`` -> its adapter's module path, for queues that are no TASKS backend


def add_queue(name, adapter_path):
    """Hand the rows whose ``backend`` is ``name`` to the module ``adapter_path`` (``hand_off(None, row)``)."""
    host_queues[name] = adapter_path


def adapter_for(backend):
    """The module that hands rows to ``backend``, or None for a backend that needs no outbox."""
    path = HAND_OFFS.get(f"{type(backend).__module__}.{type(backend).__qualname__}")
    return import_module(path) if path else None


def keeps(backend):
    """Whether tasks enqueued on ``backend`` go through the outbox."""
    return adapter_for(backend) is not None


def rows():
    return apps.get_model("netbox_userscripts", "TaskOutbox")


def enqueue(backend, task, args, kwargs):
    """Write ``task(*args, **kwargs)``'s row for ``backend`` now and hand it over after the commit; its result."""
    backend.validate_task(task)
    model = rows()
    row = model(id=uuid.uuid4().hex, backend=backend.alias, task_path=task.module_path, queue_name=task.queue_name,
                priority=task.priority, run_after=task.run_after,
                args_kwargs={"args": list(args), "kwargs": dict(kwargs)}, enqueued_at=timezone.now())
    record(row)
    result = TaskResult(task=task, id=row.id, status=TaskResultStatus.READY, enqueued_at=row.enqueued_at,
                        started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
                        kwargs=dict(kwargs), backend=backend.alias, errors=[], worker_ids=[])
    task_enqueued.send(type(backend), task_result=result)
    return result


def record(row):
    """Write the outbox ``row`` in the caller's transaction and hand it over once that commits."""
    using = router.db_for_write(type(row), instance=row)
    row.save(force_insert=True, using=using)
    transaction.on_commit(partial(hand_off_after_commit, row), using=using)  # at once outside a transaction


class Outage:
    """This process's view of the queue: after a failed hand-off, none is tried for ``PAUSE`` seconds.

    So a transaction that enqueued a hundred tasks waits for one Redis timeout, not a hundred,
    and the log says once that tasks wait, and once that they went through again.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.until = 0.0
        self.since = None

    def paused(self):
        return time.monotonic() < self.until

    def failed(self, row, exc):
        with self._lock:
            self.until = time.monotonic() + PAUSE
            first, self.since = self.since is None, self.since or timezone.now()
        if first:
            logger.warning("task queue %r unreachable (%s: %s): task %s (%s) and those after it wait in the outbox "
                           "(netbox_userscripts.TaskOutbox) and are handed over when it answers",
                           row.queue_name, type(exc).__name__, exc, row.task_path, row.id)

    def recovered(self):
        with self._lock:
            since, self.since = self.since, None
        if since is not None:
            logger.warning("task queue reachable again: the tasks waiting since %s are being handed over",
                           since.isoformat(timespec="seconds"))


outage = Outage()


def hand_off(row):
    """Give ``row`` to its backend; True once the backend has it (or it is another process's), False if not now."""
    if outage.paused():
        return False
    model, now = rows(), timezone.now()
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    if not model.objects.filter(free, pk=row.pk).update(claimed_until=now + LEASE, attempts=F("attempts") + 1):
        return True  # handed over already, being handed over by another process, or rolled back
    backend, adapter = target(row)
    if adapter is None:  # TASKS changed since: an operator's call, claimed for a lease at a time
        return True
    try:
        adapter.hand_off(backend, row)
    except adapter.ERRORS as exc:
        model.objects.filter(pk=row.pk).update(claimed_until=None, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        outage.failed(row, exc)
        return False
    model.objects.filter(pk=row.pk).delete()
    outage.recovered()
    return True


def run_host_rows_now():
    """Run every waiting row of a host queue in this process, oldest first, instead of handing it over; what each
    adapter's ``run_now(row)`` answers (inside NetBox: the ``core.Job``). For the test kit's ``run_tasks``, whose
    test transaction never commits, so no row is handed over."""
    ran = []
    while True:
        row = rows().objects.filter(backend__in=list(host_queues)).order_by("enqueued_at").first()
        if row is None:
            return ran
        rows().objects.filter(pk=row.pk).delete()
        ran.append(import_module(host_queues[row.backend]).run_now(row))


def target(row):
    """``(backend, adapter)`` of ``row``: a host queue's adapter with no backend, or a TASKS backend's."""
    if row.backend in host_queues:
        return None, import_module(host_queues[row.backend])
    backend = task_backends[row.backend]
    return backend, adapter_for(backend)


def hand_off_after_commit(row):
    """``hand_off`` from ``on_commit``: nothing it meets may fail the caller, whose work is committed."""
    try:
        hand_off(row)
    except DatabaseError as exc:  # the database went away after the commit: the row waits for a heartbeat
        logger.warning("task %s (%s) waits in the outbox: %s: %s", row.task_path, row.id, type(exc).__name__, exc)


def hand_over_waiting(limit=BATCH):
    """Hand over the rows waiting, oldest first, until one fails; how many went. The heartbeat's chore."""
    if outage.paused() or not (host_queues or any(keeps(backend) for backend in task_backends.all())):
        return 0
    now = timezone.now()
    waiting = rows().objects.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
    handed = 0
    for row in waiting.order_by("enqueued_at")[:limit]:
        if not hand_off(row):
            break
        handed += 1
    return handed


def unreachable(task):
    """Why ``task``'s queue cannot take it now (naming the queue and its Redis), or None."""
    backend = task.get_backend()
    adapter = adapter_for(backend)
    return adapter.reachable(backend, task.queue_name) if adapter else None
