"""Background tasks from the outside: a real ``userscripts_worker`` process on an SQLite database.

One instance per module (configuration, migrated database, userscripts folder, one worker);
saves are made by ``manage.py shell`` processes, results read from files the tasks write and
from ``manage.py userscripts --tasks --json``.
"""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import textwrap
import time

import pytest

from netbox_userscripts.tasks.workerid import process_start
from tests.gunicorn import write_atomically, write_configuration
from tests.project import MANAGE, PROJECT, environment

SCRIPT = '''\
import os
import time
from datetime import timedelta
from pathlib import Path

from dcim.models import Site
from netbox_userscripts.signals import post_commit
from netbox_userscripts.tasks import task

OUT = Path(os.environ["TASKS_OUT"])
VERSION = "{version}"


@task
def record(label):
    logger.info("recording %s", label)
    (OUT / label).write_text(f"{{os.getpid()}} {{VERSION}}")
    return label


@task
def nap(seconds):
    (OUT / "napping").write_text(str(os.getpid()))
    time.sleep(seconds)


@task
def boom():
    raise RuntimeError("device unreachable")


@task(max_attempts=3, backoff=timedelta(milliseconds=200))
def flaky(label):
    tries = OUT / label
    count = int(tries.read_text()) + 1 if tries.exists() else 1
    tries.write_text(str(count))
    if count < 3:
        raise ConnectionError(f"attempt {{count}}: device busy")
    return count


def on_commit(sender, changes, **kwargs):
    for change in changes:
        record.enqueue(label=f"site-{{change.instance.slug}}")


post_commit.connect(on_commit, sender=Site)
'''


ROLL_BACK_THEN_COMMIT = """
from django.db import transaction
from userscripts.worktasks import record
try:
    with transaction.atomic():
        record.enqueue(label="rolled-back")
        raise RuntimeError("veto")
except RuntimeError:
    pass
with transaction.atomic():
    record.enqueue(label="committed")
"""


class Instance:
    def __init__(self, tmp, root, config, out):
        self.tmp, self.root, self.config, self.out = tmp, root, config, out
        self.env = environment(config, TASKS_OUT=str(out), USERSCRIPTS_WATCH_POLLING="0")
        self.worker = None

    def manage(self, *args, check=True):
        return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=self.env, capture_output=True, text=True,
                              timeout=60, check=check)

    def shell(self, code):
        return self.manage("shell", "-c", textwrap.dedent(code))

    def start_worker(self):
        self.worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1", "--sweep-every", "0.5"],
                                       cwd=PROJECT, env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        return self.worker

    def stop_worker(self, sig=signal.SIGTERM):
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, sig)
            self.worker.wait(timeout=15)
        self.worker = None

    def runs(self, *args):
        return json.loads(self.manage("userscripts", "--tasks", "--json", *args).stdout)

    def statuses(self):
        """``{(task path, label or None): status}`` read from the database (cheaper than a command to poll).

        The latest run wins where several have the same key.
        """
        with sqlite3.connect(self.tmp / "db.sqlite3") as db:
            rows = db.execute("SELECT task_path, args_kwargs, status FROM django_tasks_database_dbtaskresult "
                              "ORDER BY enqueued_at").fetchall()
        return {(path, json.loads(args)["kwargs"].get("label")): status for path, args, status in rows}

    def output(self, name):
        path = self.out / name
        return path.read_text() if path.exists() else None

    def wait_for(self, predicate, timeout=20, message="timed out"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(message)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tasks")
    root, out = tmp / "scripts", tmp / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "worktasks.py", SCRIPT.format(version="v1"))
    config = write_configuration(tmp, root)
    inst = Instance(tmp, root, config, out)
    for app in ("django_tasks_database", "dcim", "netbox_userscripts"):  # what the tasks and hook need
        inst.manage("migrate", app, "--no-input")
    inst.start_worker()
    yield inst
    inst.stop_worker()


def test_a_post_commit_hook_enqueues_and_the_task_runs_in_the_worker(instance):
    shell = instance.shell("""
        import os
        from dcim.models import Site
        Site.objects.create(name="Hook", slug="hook")
        print(os.getpid())
    """)
    done = instance.wait_for(lambda: instance.output("site-hook"), message="the task did not run")
    pid, version = done.split()
    assert int(pid) == instance.worker.pid != int(shell.stdout.split()[-1])
    assert version == "v1"
    instance.wait_for(lambda: instance.statuses().get(("userscripts.worktasks.record", "site-hook")) == "SUCCESSFUL")
    run = [r for r in instance.runs("--script", "worktasks") if r["status"] == "succeeded"]
    assert run[0]["task"] == "worktasks.record" and run[0]["kwargs"] == {"label": "site-hook"}
    assert run[0]["pid"] == instance.worker.pid and run[0]["result"] == "site-hook"
    assert run[0]["started_at"] and run[0]["finished_at"]
    log = (instance.tmp / "u.log").read_text()
    assert "recording site-hook" in log and "task record (run " in log and "succeeded in" in log


def test_a_rolled_back_enqueue_never_runs(instance):
    instance.shell(ROLL_BACK_THEN_COMMIT)
    instance.wait_for(lambda: instance.output("committed"), message="the committed task did not run")
    time.sleep(0.5)
    assert not (instance.out / "rolled-back").exists()
    assert ("userscripts.worktasks.record", "rolled-back") not in instance.statuses()


def test_a_failing_task_ends_failed_with_its_traceback_in_the_log(instance):
    instance.shell("from userscripts.worktasks import boom; boom.enqueue()")
    instance.wait_for(lambda: instance.statuses().get(("userscripts.worktasks.boom", None)) == "FAILED")
    failed = instance.runs("--status", "failed", "--script", "worktasks")
    assert failed[0]["task"] == "worktasks.boom"
    assert failed[0]["error"] == "RuntimeError: device unreachable"
    assert "Traceback" in failed[0]["traceback"]
    log = (instance.tmp / "u.log").read_text()
    assert "task boom (run " in log and "RuntimeError: device unreachable" in log


def test_a_failing_task_is_tried_again_after_its_back_off_until_max_attempts(instance):
    instance.shell("from userscripts.worktasks import flaky; flaky.enqueue(label='flaky')")
    instance.wait_for(lambda: instance.statuses().get(("userscripts.worktasks.flaky", "flaky")) == "SUCCESSFUL")
    run = [r for r in instance.runs("--script", "worktasks") if r["task"] == "worktasks.flaky"][0]
    assert (run["status"], run["attempts"], run["result"]) == ("succeeded", 3, 3)
    log = (instance.tmp / "u.log").read_text()
    assert "attempt 1 of 3 failed, trying again in 0:00:00.200000" in log
    assert "attempt 2 of 3 failed, trying again in 0:00:00.400000" in log


def test_the_worker_runs_the_current_version_and_fails_a_removed_task(instance):
    write_atomically(instance.root / "worktasks.py", SCRIPT.format(version="v2"))
    time.sleep(1.5)  # the worker's reloader: within a second
    instance.shell("from userscripts.worktasks import record; record.enqueue(label='after-edit')")
    done = instance.wait_for(lambda: instance.output("after-edit"))
    assert done.split()[1] == "v2"
    # enqueued now, then the function is removed before the worker gets to it
    instance.stop_worker()
    instance.shell("from userscripts.worktasks import boom; boom.enqueue()")
    write_atomically(instance.root / "worktasks.py", SCRIPT.format(version="v3").replace("def boom", "def bang"))
    instance.start_worker()
    instance.wait_for(lambda: instance.statuses()[("userscripts.worktasks.boom", None)] == "FAILED")
    failed = instance.runs("--status", "failed")[0]
    assert failed["error"] == "LookupError: userscript worktasks defines no task boom (it was removed or renamed)."


def test_a_killed_worker_leaves_its_run_failed_worker_lost(instance):
    instance.shell("from userscripts.worktasks import nap; nap.enqueue(seconds=60)")
    instance.wait_for(lambda: (instance.out / "napping").exists(), message="nap did not start")
    killed = instance.worker.pid
    instance.stop_worker(signal.SIGKILL)
    assert instance.statuses()[("userscripts.worktasks.nap", None)] == "RUNNING"
    instance.start_worker()
    instance.wait_for(lambda: instance.statuses()[("userscripts.worktasks.nap", None)] == "FAILED")
    lost = [r for r in instance.runs("--status", "failed") if r["task"] == "worktasks.nap"]
    expected = f"netbox_userscripts.tasks.worker.WorkerLost: worker lost: {lost[0]['worker']} ended during the task"
    assert lost[0]["error"] == expected
    assert lost[0]["pid"] == killed and lost[0]["finished_at"]


# A tick takes longer than its period, so that while one worker runs a tick the next one is
# the other worker's: which worker polls first after an enqueue otherwise keeps the same phase
# for seconds, and one worker can take every tick.
TICKS = '''\
import os
import time
from datetime import timedelta

from netbox_userscripts.tasks import task


@task(every=timedelta(seconds=1))
def tick():
    time.sleep(1.3)
    return os.getpid()
'''


def test_two_workers_and_a_one_second_schedule_give_each_slot_once(instance):
    second = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1"], cwd=PROJECT, env=instance.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(2)  # both workers up
        write_atomically(instance.root / "ticks.py", TICKS)
        time.sleep(8)
        (instance.root / "ticks.py").unlink()
        time.sleep(1.5)  # removed on hot reload: no more ticks
        with sqlite3.connect(instance.tmp / "db.sqlite3") as db:
            first = db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                               "WHERE task_path = 'userscripts.ticks.tick'").fetchone()[0]
            time.sleep(2)
            rows = db.execute("SELECT enqueued_at, status, return_value, traceback "
                              "FROM django_tasks_database_dbtaskresult WHERE task_path = 'userscripts.ticks.tick' "
                              "ORDER BY enqueued_at").fetchall()
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=15)
    assert len(rows) == first, "ticks went on after the file was deleted"
    assert 6 <= len(rows) <= 9, rows
    seconds = [row[0][:19] for row in rows]  # each enqueued in its own one-second slot
    assert len(set(seconds)) == len(seconds), seconds
    ran = [row for row in rows if row[1] == "SUCCESSFUL"]
    gone = rows[len(ran):]
    # A tick queued before the unload reached both workers, and run after it, fails saying why;
    # only the last ticks may.
    assert rows[:len(ran)] == ran and len(gone) <= 2, [row[:2] for row in rows]
    assert all("ticks.py no longer exists" in row[3] for row in gone), gone
    assert len({row[2] for row in ran}) == 2  # both workers ran some


def test_a_run_whose_pid_now_names_another_process_ends_worker_lost(instance):
    """The pid of a run's worker alive again, but a process started at another time: the run is swept."""
    host, pid = socket.gethostname(), os.getpid()  # this test's process: alive, and not the run's worker
    start = process_start(pid)
    assert start is not None, "no /proc here"
    impostor, genuine = f"{host}:{pid}@{start - 1}", f"{host}:{pid}@{start}"
    instance.stop_worker()  # no worker takes the runs before they are made to look running
    for label in ("impostor", "genuine"):
        instance.shell(f"from userscripts.worktasks import record; record.enqueue(label={label!r})")
    with sqlite3.connect(instance.tmp / "db.sqlite3") as db:
        for label, worker in (("impostor", impostor), ("genuine", genuine)):
            db.execute("UPDATE django_tasks_database_dbtaskresult SET status = 'RUNNING', started_at = "
                       "CURRENT_TIMESTAMP, worker_ids = ? WHERE args_kwargs LIKE ?",
                       (json.dumps([worker]), f'%"label": "{label}"%'))
    instance.start_worker()  # its sweeper runs at start
    key = ("userscripts.worktasks.record", "impostor")
    instance.wait_for(lambda: instance.statuses()[key] == "FAILED", message="the impostor's run was not swept")
    assert instance.statuses()[("userscripts.worktasks.record", "genuine")] == "RUNNING"  # pid and start match
    lost = [r for r in instance.runs("--status", "failed") if r["kwargs"].get("label") == "impostor"][0]
    assert lost["worker"] == f"{host}:{pid}" and lost["pid"] == pid
    assert lost["error"].endswith(f"worker lost: {host}:{pid} ended during the task")
    with sqlite3.connect(instance.tmp / "db.sqlite3") as db:  # the genuine one would stay running after this test
        db.execute("UPDATE django_tasks_database_dbtaskresult SET status = 'SUCCESSFUL' WHERE status = 'RUNNING'")


def test_the_sweeper_outlives_a_locked_database_and_logs_the_error_once(tmp_path):
    """The database locked for longer than its busy timeout: the sweeper's turns fail, the error is logged once,
    and once the lock is released the sweeper still ends a killed worker's run."""
    root, out = tmp_path / "scripts", tmp_path / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "worktasks.py", SCRIPT.format(version="v1"))
    database = (f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'db.sqlite3')!r}, "
                "'OPTIONS': {'timeout': 0.2, 'transaction_mode': 'IMMEDIATE', "
                "'init_command': 'PRAGMA journal_mode=WAL;'}}")
    inst = Instance(tmp_path, root, write_configuration(tmp_path, root, database=database), out)
    for app in ("django_tasks_database", "dcim", "netbox_userscripts"):
        inst.manage("migrate", app, "--no-input")
    inst.start_worker()
    try:
        inst.shell("from userscripts.worktasks import nap; nap.enqueue(seconds=60)")
        inst.wait_for(lambda: (out / "napping").exists(), message="nap did not start")
        inst.stop_worker(signal.SIGKILL)
        lock = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None)
        lock.execute("BEGIN EXCLUSIVE")
        stderr = (tmp_path / "worker.err").open("w")
        inst.worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1", "--sweep-every", "0.1"],
                                       cwd=PROJECT, env=inst.env, stdout=subprocess.DEVNULL, stderr=stderr,
                                       start_new_session=True)
        time.sleep(6)  # about twenty sweeps fail
        assert inst.worker.poll() is None, "the worker ended"
        assert inst.statuses()[("userscripts.worktasks.nap", None)] == "RUNNING"
        lock.execute("ROLLBACK")
        lock.close()
        inst.wait_for(lambda: inst.statuses()[("userscripts.worktasks.nap", None)] == "FAILED",
                      message="the sweeper did not end the lost run after the lock was released")
    finally:
        inst.stop_worker()
    errors = (tmp_path / "worker.err").read_text()
    assert errors.count("userscripts task sweeper failed: OperationalError: database is locked; it goes on") == 1, \
        errors
    assert "Traceback" in errors

