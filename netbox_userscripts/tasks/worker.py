"""The task worker of the database backend: django-tasks-db's ``Worker``, run with the userscripts.

``manage.py userscripts_worker`` runs it. It differs from the backend's own ``db_worker`` in
what a userscript needs:

- the worker is named ``host:pid@start`` (``workerid``), so each run records where it ran
  and which process ran it, even when a later process gets the same pid;
- a task is looked up in the registry's version in use of its module (hot reload works in
  the worker as in a server process); a task whose module or function no longer exists
  ends failed with a message that says which, instead of importing a file behind the
  registry's back;
- a run's start, end and failure (with its traceback) go to the module's logger, so to the
  central log;
- a task that raised is queued again (the same run, so its ``worker_ids`` count the attempts)
  after its back-off, until ``max_attempts``;
- a run left ``RUNNING`` by a worker that no longer exists is ended failed ("worker lost")
  when a worker starts and every ``sweep_every`` seconds after: a worker of this host when
  its process is gone (no process with its pid, or one started at another time), a worker
  of another host when the process table has not seen it for ``GONE_AFTER`` seconds (its
  heartbeat stopped: the host or the process died; a row of a process started after the run
  is another process's); so is a background job's ``JobResult`` (``errored``, as
  ``JobResult.sweep_abandoned`` does);
- a database error (PostgreSQL restarting, a lost connection) does not end the worker or its
  sweeper: it is logged once a minute and the loop goes on when the database answers again.
"""
import logging
import socket
import threading
import time
from datetime import timedelta
from functools import partial

from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from netbox_userscripts.fleet.models import UserscriptProcess
from netbox_userscripts.fleet.processes import GONE_AFTER
from netbox_userscripts.log import central as log
from netbox_userscripts.log.survive import SurvivingLoop
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.metrics.slowhooks import running
from netbox_userscripts.scripts.models import JobResult
from netbox_userscripts.tasks.decorator import TaskResultStatus, UserscriptTask
from netbox_userscripts.tasks.lookup import find_task, missing_reason, split_task_path
from netbox_userscripts.tasks.workerid import is_alive, parse

logger = logging.getLogger("netbox_userscripts.tasks.worker")


class WorkerLost(Exception):
    """The worker running a task ended (killed, crashed) before the task finished."""


class RunLog:
    """The lines one run of a userscript's task writes to its module's logger (none for other tasks)."""

    def __init__(self, task_path, run_id):
        names = split_task_path(task_path)
        self.logger = log.logger_for(names[0]) if names else None
        self.module, self.function = names if names else ("", "")
        self.run_id = run_id
        self.clock = time.perf_counter()
        self.watched = None  # the slow-hook watchdog's token while the task runs

    def missing(self, reason):
        if self.logger is not None:
            self.logger.error("task %s (run %s) failed: %s", self.function, self.run_id, reason)
            observe("task", self.module, self.function, 0.0, "failed")

    def started(self, worker):
        """Said as ``host:pid``, as the pages show a worker (the recorded id also carries its start)."""
        self.clock = time.perf_counter()
        if self.logger is not None:
            self.watched = running.enter("task", self.module, self.function)
            parsed = parse(worker)
            self.logger.info("task %s (run %s) started in worker %s", self.function, self.run_id,
                             parsed.display if parsed else worker)

    def retrying(self, attempt, attempts, delay):
        if self.logger is not None:
            self.logger.warning("task %s (run %s): attempt %d of %d failed, trying again in %s",
                                self.function, self.run_id, attempt, attempts, delay)

    def ended(self, traceback=None):
        """Log the end: failed with ``traceback``, or succeeded without one."""
        if self.logger is None:
            return
        seconds = time.perf_counter() - self.clock
        running.exit(self.watched)
        observe("task", self.module, self.function, seconds, "failed" if traceback else "successful")
        if traceback:
            self.logger.error("task %s (run %s) failed after %.3f s\n%s", self.function, self.run_id, seconds,
                              traceback.rstrip())
        else:
            self.logger.info("task %s (run %s) succeeded in %.3f s", self.function, self.run_id, seconds)


# What the library's worker raises when the task's path no longer leads to a task.
LOOKUP_FAILURES = ("builtins.ImportError", "builtins.ModuleNotFoundError",
                   "django.core.exceptions.SuspiciousOperation")


class UserscriptWorker(Worker):
    """django-tasks-db's worker: tasks found in the registry, runs logged to their module's logger."""

    def run(self):
        """The library's loop, started again after a database error (a restart, a lost connection) once the
        connection is dropped: the worker outlives the outage, the error logged once a minute."""
        guard = SurvivingLoop(logger, f"userscripts task worker {self.worker_id}")
        while True:
            try:
                return super().run()
            except DatabaseError as exc:
                guard.failed(exc)
            guard.run(close_old_connections)
            if not self.running:
                return None
            time.sleep(max(self.interval, 1.0))

    def run_task(self, db_task_result):
        db_task_result.save = partial(self._save_once_the_database_answers, db_task_result.save)
        run_log = RunLog(db_task_result.task_path, db_task_result.id)
        reason = missing_reason(db_task_result.task_path)
        if reason is not None:
            db_task_result.set_failed(LookupError(reason))
            self._run_tasks += 1
            run_log.missing(reason)
            return
        run_log.started(self.worker_id)
        super().run_task(db_task_result)
        failed = db_task_result.status == TaskResultStatus.FAILED
        if failed and db_task_result.exception_class_path in LOOKUP_FAILURES:
            reason = missing_reason(db_task_result.task_path)
            if reason is not None:  # unloaded by hot reload between the lookup above and the library's import
                db_task_result.set_failed(LookupError(reason))
                run_log.missing(reason)
                return
        run_log.ended(db_task_result.traceback if failed else None)
        if failed and run_log.logger is not None:
            self.retry(db_task_result, run_log)

    def _save_once_the_database_answers(self, save, *args, **kwargs):
        """Save a run's end, waiting for the database if it is away (PostgreSQL restarting): the task has run, and a
        run left ``RUNNING`` by a live worker is never swept (the library tries three times in 0.3 s). Given up,
        the error raised, when the worker is asked to stop: once it is gone, the sweepers end the run."""
        guard = SurvivingLoop(logger, f"userscripts task worker {self.worker_id}: saving the end of a run")
        while True:
            try:
                return save(*args, **kwargs)
            except DatabaseError as exc:
                if not self.running:
                    raise
                guard.failed(exc)
            guard.run(close_old_connections)
            time.sleep(1.0)

    def retry(self, db_task_result, run_log):
        """Queue a failed run again after its back-off if it has attempts left."""
        try:
            task = find_task(db_task_result.task_path)  # the version in use now: it may have been edited meanwhile
        except LookupError:
            return
        attempts = len(db_task_result.worker_ids)
        if not isinstance(task, UserscriptTask) or attempts >= task.max_attempts:
            return
        delay = task.retry_delay(attempts)
        DBTaskResult.objects.filter(pk=db_task_result.pk).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + delay, finished_at=None)
        run_log.retrying(attempts, task.max_attempts, delay)


def sweep_lost(host=None):
    """End failed the runs left ``RUNNING`` by a worker that is gone, of this host or another."""
    host = host or socket.gethostname()
    ended = 0
    for run in DBTaskResult.objects.running():
        worker = parse(run.worker_ids[-1] if run.worker_ids else "")
        if worker is None:
            continue
        if worker.host == host[:len(worker.host)]:
            if is_alive(worker):
                continue
        elif not _gone_from_the_process_table(worker.host, worker.pid, run.started_at or run.enqueued_at):
            continue
        last = worker.display
        updated = DBTaskResult.objects.filter(pk=run.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"{WorkerLost.__module__}.WorkerLost: worker lost: {last} ended during the task\n")
        ended += updated
        names = split_task_path(run.task_path)
        if updated and names:
            log.logger_for(names[0]).error("task %s (run %s) failed: worker lost (%s ended during the task)",
                                           names[1], run.pk, last)
    return ended


def sweep(task_runs=True):
    """End the background jobs' results (and, with ``task_runs``, the database's task runs) left running by a
    dead process of this host."""
    return (sweep_lost() if task_runs else 0) + JobResult.sweep_abandoned()


def start_sweeper(every, task_runs=True):
    """Sweep lost runs now, then every ``every`` seconds on a daemon thread (``task_runs``: see ``sweep``).

    A sweep that fails (the database locked or restarting) is logged once per kind a minute and
    tried again at the next turn: the thread outlives the outage.
    """
    guard = SurvivingLoop(logger, "userscripts task sweeper")

    def loop():
        while True:
            guard.run(sweep, task_runs)
            guard.run(close_old_connections)  # a connection broken by the failure is dropped, the next reopens
            time.sleep(every)

    thread = threading.Thread(target=loop, name="userscripts-task-sweeper", daemon=True)
    thread.start()
    return thread


def _gone_from_the_process_table(host, pid, since):
    """Whether the worker ``host:pid`` (its host name cut to fit the worker id) stopped refreshing its row.

    Only a row of a process started before the run (``since``) can be its worker's: a process
    started later with the same host name and pid (a container restarted) is another one.
    """
    cutoff = timezone.now() - timedelta(seconds=GONE_AFTER)
    seen = (UserscriptProcess.objects.filter(hostname__startswith=host, pid=pid, started__lte=since)
            .order_by("-last_seen").values_list("last_seen", flat=True).first())
    return (seen or since) < cutoff  # never seen, or removed: as old as the run

