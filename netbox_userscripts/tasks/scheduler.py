"""The workers' scheduler: enqueues each due period of the loaded userscripts' scheduled tasks, once.

Every worker runs it on a thread (``start``); ``tick()`` looks at the registry's modules in
use, so editing or deleting a file changes or removes its schedules at the next tick. For
each scheduled task whose current period is newer than its ``TaskSchedule`` row, the row is
locked (``select_for_update``; SQLite serializes writers), moved to the period and the run
enqueued in the same transaction: two workers never enqueue the same period.
"""
import logging
import threading
import time

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log.survive import SurvivingLoop
from netbox_userscripts.metrics import families
from netbox_userscripts.metrics.observe import count
from netbox_userscripts.tasks.decorator import UserscriptTask
from netbox_userscripts.tasks.models import TaskSchedule

logger = logging.getLogger("netbox_userscripts.tasks.scheduler")
task_guard = SurvivingLoop(logger, "userscripts task scheduler (enqueueing a due period)")


def scheduled_tasks():
    """``[(task path, task)]`` for the scheduled tasks the loaded modules define (not merely import)."""
    found = []
    for script in registry.modules():
        if not script.loaded:
            continue
        for value in vars(script.module).values():
            if isinstance(value, UserscriptTask) and value.schedule is not None \
                    and value.module_path.startswith(f"{PACKAGE}.{script.name}."):
                found.append((value.module_path, value))
    return sorted(found, key=lambda item: item[0])


def tick(now=None):
    """Enqueue the due period of every scheduled task; return the task paths enqueued.

    A task whose turn fails is logged (once a minute per kind of failure) and the tasks after it
    still get theirs.
    """
    now = now or timezone.now()
    enqueued = []
    for path, task in scheduled_tasks():
        if task_guard.run(enqueue_if_due, path, task, now):
            enqueued.append(path)
    return enqueued


def enqueue_if_due(path, task, now):
    """Move ``path``'s row to the current period and enqueue it, unless the period was taken; True if enqueued."""
    period = task.schedule.period(now)
    described = task.schedule.describe()
    try:
        with transaction.atomic():
            row = TaskSchedule.objects.select_for_update().filter(task_path=path).first()
            if row is None:  # first sight: the first run is the next period's
                TaskSchedule.objects.create(task_path=path, schedule=described, last_period=period)
                return False
            if row.schedule != described:  # edited: start again from the next period of the new schedule
                row.schedule, row.last_period = described, period
                row.save(update_fields=["schedule", "last_period"])
                return False
            if row.last_period >= period:
                return False
            result = task.enqueue()
            module, name = path.split(".")[1:3]
            count(families.SCHEDULE_PERIODS, module, name, "enqueued")
            skipped = task.schedule.skipped(row.last_period, period)
            count(families.SCHEDULE_PERIODS, module, name, "skipped", amount=skipped)
            row.last_period, row.last_run_at = period, now
            row.last_result_id = str(result.id) if result is not None else ""
            row.save(update_fields=["last_period", "last_run_at", "last_result_id"])
            return True
    except IntegrityError:  # another worker created the row at the same moment
        return False


def describe():
    """The loaded schedules with their last and next run (the page, ``userscripts --schedules``)."""
    rows = {row.task_path: row for row in TaskSchedule.objects.all()}
    now = timezone.now()
    result = []
    for path, task in scheduled_tasks():
        row = rows.get(path)
        result.append({
            "task": path.removeprefix(f"{PACKAGE}."),
            "schedule": task.schedule.describe(),
            "last_run": row.last_run_at.isoformat() if row is not None and row.last_run_at else None,
            "next_run": task.schedule.next_run(now).isoformat(),
        })
    return result


def start(every=0.25):
    """Tick every ``every`` seconds on a daemon thread."""
    guard = SurvivingLoop(logger, "userscripts task scheduler")

    def loop():
        while True:
            guard.run(tick)  # a locked database or a lost connection: logged once a minute, the next tick tries again
            guard.run(close_old_connections)
            time.sleep(every)

    thread = threading.Thread(target=loop, name="userscripts-task-scheduler", daemon=True)
    thread.start()
    return thread
