"""The task worker of the database backend: django-tasks-db's ``Worker``, run with the userscripts.

``manage.py userscripts_worker`` runs it. It differs from the backend's own ``db_worker`` in
what a userscript needs:

- the worker is named ``host:pid``, so each run records where it ran;
- a task is looked up in the registry's version in use of its module (hot reload works in
  the worker as in a server process); a task whose module or function no longer exists
  ends failed with a message that says which, instead of importing a file behind the
  registry's back;
- a run's start, end and failure (with its traceback) go to the module's logger, so to the
  central log;
- a task that raised is queued again (the same run, so its ``worker_ids`` count the attempts)
  after its back-off, until ``max_attempts``;
- a run left ``RUNNING`` by a worker of this host that no longer exists is ended failed
  ("worker lost") when a worker starts and every ``sweep_every`` seconds after.
"""
import os
import socket
import threading
import time

from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from netbox_userscripts import log
from netbox_userscripts.loader import PACKAGE
from netbox_userscripts.registry import registry
from netbox_userscripts.tasks import Task, TaskResultStatus, UserscriptTask


class WorkerLost(Exception):
    """The worker running a task ended (killed, crashed) before the task finished."""


def worker_id():
    """``host:pid``, within the backend's 64 characters."""
    pid = str(os.getpid())
    return f"{socket.gethostname()[:63 - len(pid)]}:{pid}"


def split_task_path(task_path):
    """``(module name, function name)`` of ``userscripts.MODULE.FUNCTION``, or None for other tasks."""
    parts = task_path.split(".")
    if len(parts) != 3 or parts[0] != PACKAGE:
        return None
    return parts[1], parts[2]


def missing_reason(task_path):
    """Why the task at ``task_path`` cannot run now (its module or function is gone), or None."""
    names = split_task_path(task_path)
    if names is None:
        return None
    module_name, function_name = names
    script = registry.get(module_name)
    if script is None:
        return f"userscript {module_name} is not loaded: {module_name}.py no longer exists in {registry.root}."
    if not script.loaded:
        return f"userscript {module_name} failed to load: {script.error}"
    if not isinstance(getattr(script.module, function_name, None), Task):
        return f"userscript {module_name} defines no task {function_name} (it was removed or renamed)."
    return None


class UserscriptWorker(Worker):
    """django-tasks-db's worker: tasks found in the registry, runs logged to their module's logger."""

    def run_task(self, db_task_result):
        names = split_task_path(db_task_result.task_path)
        logger = log.logger_for(names[0]) if names else None
        reason = missing_reason(db_task_result.task_path)
        if reason is not None:
            db_task_result.set_failed(LookupError(reason))
            self._run_tasks += 1
            if logger is not None:
                logger.error("task %s (run %s) failed: %s", names[1], db_task_result.id, reason)
            return
        if logger is not None:
            logger.info("task %s (run %s) started in worker %s", names[1], db_task_result.id, self.worker_id)
        started = time.perf_counter()
        super().run_task(db_task_result)
        if logger is None:
            return
        seconds = time.perf_counter() - started
        if db_task_result.status == TaskResultStatus.FAILED:
            logger.error("task %s (run %s) failed after %.3f s\n%s", names[1], db_task_result.id, seconds,
                         db_task_result.traceback.rstrip())
            self.retry(db_task_result, logger)
        else:
            logger.info("task %s (run %s) succeeded in %.3f s", names[1], db_task_result.id, seconds)


    def retry(self, db_task_result, logger):
        """Queue a failed run again after its back-off if it has attempts left."""
        module_name, function_name = split_task_path(db_task_result.task_path)
        script = registry.get(module_name)  # the version in use now: it may have been edited meanwhile
        task = getattr(script.module, function_name, None) if script is not None and script.loaded else None
        attempts = len(db_task_result.worker_ids)
        if not isinstance(task, UserscriptTask) or attempts >= task.max_attempts:
            return
        delay = task.retry_delay(attempts)
        DBTaskResult.objects.filter(pk=db_task_result.pk).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + delay, finished_at=None)
        logger.warning("task %s (run %s): attempt %d of %d failed, trying again in %s",
                       task.name, db_task_result.id, attempts, task.max_attempts, delay)


def sweep_lost(host=None):
    """End failed the runs left ``RUNNING`` by a worker of ``host`` (this one) whose process is gone."""
    host = host or socket.gethostname()
    ended = 0
    for run in DBTaskResult.objects.running():
        last = run.worker_ids[-1] if run.worker_ids else ""
        run_host, _, pid = last.rpartition(":")
        if run_host != host[:len(run_host)] or not pid.isdigit() or _alive(int(pid)):
            continue
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


def start_sweeper(every):
    """Sweep lost runs now, then every ``every`` seconds on a daemon thread."""
    sweep_lost()

    def loop():
        while True:
            time.sleep(every)
            try:
                sweep_lost()
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="userscripts-task-sweeper", daemon=True)
    thread.start()
    return thread


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    return True
