"""``run_tasks`` where tasks are not the database backend's: inside NetBox, where a task is a NetBox job.

Registered by ``netbox_userscripts.testing`` instead of ``dbtasks`` when ``django_tasks_db``
is not installed. A task enqueued in the test waits in the tasks outbox (the test's
transaction never commits, so nothing reaches Redis): ``run_tasks()`` runs each waiting job
in the test's process, as ``rqworker`` would (``outbox.run_host_rows_now``), and answers the
NetBox ``Job`` rows, ended, in run order. Where the host has no such queue it says what to do.
"""
import pytest

from netbox_userscripts.tasks import outbox

MAX_RUNS = 1000  # a task that enqueues itself forever stops here instead of hanging the test


class HostTaskRunner:
    """``run_tasks()``: every job waiting in the host's queues (and those they enqueue), run now."""

    def __call__(self):
        finished = []
        while len(finished) < MAX_RUNS:
            ran = outbox.run_host_rows_now()
            if not ran:
                return finished
            finished.extend(ran)
        raise RuntimeError(f"Tasks were still queued after {MAX_RUNS} runs: does a task enqueue itself?")

    def next_period(self, now=None):
        pytest.fail("run_tasks.next_period() runs the schedules of this project's task worker; inside NetBox a "
                    "schedule is a NetBox job's interval: call the task's function with my_task.call(...).",
                    pytrace=False)


@pytest.fixture
def run_tasks(db):
    """Run the NetBox jobs the test's tasks queued, now, in this process: ``run_tasks()``."""
    if not outbox.host_queues:
        pytest.fail("run_tasks runs the queue of the database task backend (django_tasks_db) or NetBox's jobs; this "
                    "project uses neither: test the task's function with my_task.call(...).", pytrace=False)
    return HostTaskRunner()
