"""Run the queued tasks of the database backend now, in the test's process; a schedule's next period.

The project's worker (``tasks.worker.UserscriptWorker``) runs each task: found in the
registry's version in use of its module, its start and end logged to the module's logger,
retried after its back-off. The worker's own loop is not used: it closes the database
connection between two tasks, which would end the test's transaction.

A pytest plugin of its own (``netbox_userscripts.testing`` registers it where the database
backend's app, ``django_tasks_db``, is installed): inside NetBox tasks are NetBox jobs.
"""
import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from netbox_userscripts.tasks import scheduler
from netbox_userscripts.tasks.worker import UserscriptWorker
from netbox_userscripts.tasks.workerid import worker_id

MAX_RUNS = 1000  # a task that enqueues itself forever stops here instead of hanging the test


class TaskRunner:
    """``run_tasks()`` runs every ready task (and those they enqueue); ``run_tasks.next_period()``."""

    def __call__(self):
        """Run the ready tasks until none is left; the finished ``DBTaskResult`` rows, in run order."""
        worker = UserscriptWorker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                                  startup_delay=False, max_tasks=None, worker_id=worker_id(),
                                  excluded_queue_names=[])
        finished = []
        for _ in range(MAX_RUNS):
            run = DBTaskResult.objects.ready().order_by("enqueued_at").first()
            if run is None:
                return finished
            run.claim(worker.worker_id)
            worker.run_task(run)
            run.refresh_from_db()
            finished.append(run)
        raise RuntimeError(f"Tasks were still queued after {MAX_RUNS} runs: does a task enqueue itself?")

    def next_period(self, now=None):
        """Enqueue the next period of every scheduled task, as the workers' scheduler would, and run them.

        The scheduler enqueues a schedule's first period only once it has seen it (its
        ``TaskSchedule`` row); this sees it at ``now``, then moves to each task's next run.
        """
        now = now or timezone.now()
        scheduler.tick(now)
        for path, task in scheduler.scheduled_tasks():
            scheduler.enqueue_if_due(path, task, task.schedule.next_run(now))
        return self()


@pytest.fixture
def run_tasks(db):
    """Run queued tasks now, in this process: ``run_tasks()``; ``run_tasks.next_period()`` for schedules."""
    return TaskRunner()
