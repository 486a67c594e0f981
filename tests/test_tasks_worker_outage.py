"""A task worker outlives a PostgreSQL outage (on PostgreSQL only: ``make test``'s second pass).

Apart from ``test_tasks_worker.py``, whose workers run on an SQLite file of their own and which
the PostgreSQL pass leaves out: this one breaks the PostgreSQL server's database under them.
"""
import os
import signal
import subprocess
import time

import psycopg
import pytest

from tests.gunicorn import fresh_database, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT
from tests.test_tasks_worker import SCRIPT, Instance


def _postgres(dbname="postgres"):
    host, port = os.environ["USERSCRIPTS_TEST_POSTGRES"].rsplit(":", 1)
    return psycopg.connect(host=host, port=int(port), user="postgres", dbname=dbname, autocommit=True)


def _said(folder):
    """The first line of each record the workers wrote to their standard error."""
    return "\n".join(f"{path.name}: {line}" for path in sorted(folder.glob("*.err"))
                     for line in path.read_text().splitlines() if line and not line.startswith((" ", "Traceback")))


def _last_seen(dbname, pid):
    with _postgres(dbname) as db:
        row = db.execute("SELECT MAX(last_seen) FROM netbox_userscripts_userscriptprocess WHERE pid = %s",
                         (pid,)).fetchone()
    return row[0].timestamp() if row and row[0] else 0


def _status(dbname, path):
    with _postgres(dbname) as db:
        row = db.execute("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s "
                         "ORDER BY enqueued_at DESC LIMIT 1", (path,)).fetchone()
    return row[0] if row else None


@pytest.mark.skipif(not os.environ.get("USERSCRIPTS_TEST_POSTGRES"), reason="PostgreSQL only (tests/pgserver.py)")
def test_a_worker_outlives_a_postgresql_outage_and_still_ends_a_lost_run(tmp_path):
    """The database refuses connections and drops the open ones (as a restart does) for a few seconds: the
    worker and its threads go on, say so once, and afterwards the sweeper ends the run of a worker killed
    during the outage and new tasks run."""
    root, out = tmp_path / "scripts", tmp_path / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "worktasks.py", SCRIPT.format(version="v1"))
    dbname = f"outage_{os.getpid()}"
    inst = Instance(tmp_path, root, write_configuration(tmp_path, root, database=fresh_database(dbname)), out)
    for app in ("django_tasks_database", "dcim", "netbox_userscripts"):
        inst.manage("migrate", app, "--no-input")

    def worker(name):
        return subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1", "--sweep-every", "0.2"],
                                cwd=PROJECT, env=inst.env, stdout=subprocess.DEVNULL,
                                stderr=(tmp_path / f"{name}.err").open("w"), start_new_session=True)

    workers = {"first": worker("first")}
    try:
        time.sleep(3)
        workers["second"] = worker("second")
        inst.shell("from userscripts.worktasks import nap; nap.enqueue(seconds=60)")
        inst.wait_for(lambda: (out / "napping").exists(), message="nap did not start")
        napper = int((out / "napping").read_text())
        survivor = next(name for name, proc in workers.items() if proc.pid != napper)
        with _postgres() as admin:
            admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS false")
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,))
            os.killpg(napper, signal.SIGKILL)  # dies during the outage: only a sweep afterwards can end its run
            next(proc for proc in workers.values() if proc.pid == napper).wait(timeout=15)  # reaped: gone
            time.sleep(5)
            admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS true")
        back = time.time()
        assert workers[survivor].poll() is None, "the worker ended"
        inst.wait_for(lambda: _status(dbname, "userscripts.worktasks.nap") == "FAILED", timeout=30,
                      message="the lost run was not ended after the outage: " + _said(tmp_path))
        inst.shell("from userscripts.worktasks import record; record.enqueue(label='after-outage')")
        inst.wait_for(lambda: inst.output("after-outage"), message="no task ran after the outage")
        inst.wait_for(lambda: _last_seen(dbname, workers[survivor].pid) > back,  # the heartbeat writes its row again
                      message="the heartbeat did not write its row after the outage")
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
    errors = (tmp_path / f"{survivor}.err").read_text()
    said = [line for line in errors.splitlines() if " failed: " in line and "; it goes on" in line]
    assert any(line.startswith("userscripts task sweeper failed: OperationalError") for line in said), errors
    for thread in ("userscripts task sweeper", "userscripts task worker", "userscripts heartbeat"):
        lines = [line for line in said if line.startswith(thread)]
        kinds = {line.split(" failed: ", 1)[1].split(":", 1)[0] for line in lines}
        assert len(lines) == len(kinds), lines  # once per kind of error, not once per turn


ENDS_IN_AN_OUTAGE = '''\
import os
from pathlib import Path

import psycopg
from netbox_userscripts.tasks import task

OUT = Path(os.environ["TASKS_OUT"])


@task
def take_the_database_away(host, port, dbname):
    """Its work done, it takes its own database away (as a PostgreSQL restart does) before the worker saves its end."""
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS false")
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,))
    (OUT / "outage").write_text("started")
    return "done"
'''


@pytest.mark.skipif(not os.environ.get("USERSCRIPTS_TEST_POSTGRES"), reason="PostgreSQL only (tests/pgserver.py)")
def test_a_run_that_ends_while_postgresql_is_away_is_saved_ended_once_it_is_back(tmp_path):
    """The database goes away between a task's last line and the save of its end: the worker saves the end once
    the database is back (it used to give up after three tries in 0.3 s, the run left RUNNING for ever under a
    live worker, which no sweep ends)."""
    root, out = tmp_path / "scripts", tmp_path / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "outagetasks.py", ENDS_IN_AN_OUTAGE)
    dbname = f"ends_{os.getpid()}"
    inst = Instance(tmp_path, root, write_configuration(tmp_path, root, database=fresh_database(dbname)), out)
    for app in ("django_tasks_database", "dcim", "netbox_userscripts"):
        inst.manage("migrate", app, "--no-input")
    host, port = os.environ["USERSCRIPTS_TEST_POSTGRES"].rsplit(":", 1)
    worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1"], cwd=PROJECT, env=inst.env,
                              stdout=subprocess.DEVNULL, stderr=(tmp_path / "worker.err").open("w"),
                              start_new_session=True)
    try:
        inst.shell("from userscripts.outagetasks import take_the_database_away as t; "
                   f"t.enqueue(host={host!r}, port={int(port)}, dbname={dbname!r})")
        inst.wait_for(lambda: (out / "outage").exists(), timeout=60, message="the task did not run")
        time.sleep(3)  # the worker tries to save the run's end meanwhile
        with _postgres() as admin:
            admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS true")
        path = "userscripts.outagetasks.take_the_database_away"
        inst.wait_for(lambda: _status(dbname, path) == "SUCCESSFUL", timeout=30,
                      message=f"the run did not end: {_status(dbname, path)}; " + _said(tmp_path))
        assert worker.poll() is None, "the worker ended"
    finally:
        with _postgres() as admin:
            admin.execute(f"ALTER DATABASE {dbname} ALLOW_CONNECTIONS true")
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=15)
