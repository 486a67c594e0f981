"""Background tasks on RQ from the outside: ``TASKS`` names django-tasks-rq, a real ``redis-server``, a real worker.

One instance per module: a throw-away Redis (``tests/redisserver.py``), a configuration with
``TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}`` and NetBox's ``REDIS``, a
migrated database (SQLite, or PostgreSQL in the ``tests/pgserver.py`` run) and one
``userscripts_worker`` process, which is then an RQ worker. Saves and enqueues are made by
``manage.py shell`` processes; results are read from the files the tasks write and from
``manage.py userscripts --tasks --json``, which reads RQ's registries.
"""
import importlib.util
import os
import re
import shutil
import subprocess
import time

import pytest

from netbox_userscripts.log import stream as logstream
from tests import test_tasks_worker as worker_tests
from tests.gunicorn import fresh_database, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT
from tests.redisserver import REDIS_SERVER, redis_server

pytestmark = pytest.mark.skipif(
    not shutil.which(REDIS_SERVER) or importlib.util.find_spec("django_tasks_rq") is None,
    reason="needs redis-server and django-tasks-rq")

SCRIPT = worker_tests.SCRIPT  # the tasks: record, nap, boom, flaky and a post_commit hook
JOB = '''\
import os

from netbox_userscripts.jobs import Job


class WhereAmI(Job):
    def run(self, data, commit):
        return f"{os.getpid()} {os.getppid()}"
'''


class Instance(worker_tests.Instance):
    """The database worker tests' instance, whose worker is an RQ worker (no ``--interval``: RQ blocks)."""

    def start_worker(self):
        self.worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--sweep-every", "0.5"], cwd=PROJECT,
                                       env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rq")
    root, out = tmp / "scripts", tmp / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "worktasks.py", SCRIPT.format(version="v1"))
    write_atomically(root / "where.py", JOB)
    with redis_server(tmp) as redis:
        extra = ("TASKS = {'default': {'BACKEND': 'django_tasks_rq.RQBackend'}}\n"
                 f"REDIS = {{'tasks': {{'HOST': '127.0.0.1', 'PORT': {redis.port}, 'DATABASE': 3}}}}\n"
                 f"USERSCRIPTS_LOG_STREAM = {redis.url!r}\n")
        config = write_configuration(tmp, root, database=fresh_database(f"rq_{os.getpid()}"), extra=extra)
        inst = Instance(tmp, root, config, out)
        inst.stream_url = redis.url
        for app in ("dcim", "netbox_userscripts"):  # what the hook and the job need
            inst.manage("migrate", app, "--no-input")
        inst.start_worker()
        yield inst
        inst.stop_worker()


def test_a_post_commit_hook_enqueues_and_the_rq_worker_runs_it(instance):
    instance.shell("""
        from dcim.models import Site
        Site.objects.create(name="Hook", slug="hook")
    """)
    done = instance.wait_for(lambda: instance.output("site-hook"), message="the task did not run on RQ")
    assert done.split()[1] == "v1"
    run = instance.wait_for(lambda: [r for r in instance.runs("--script", "worktasks", "--status", "succeeded")
                                     if r["kwargs"] == {"label": "site-hook"}])[0]
    assert run["task"] == "worktasks.record" and run["result"] == "site-hook"
    assert run["pid"] == instance.worker.pid  # the worker, named host:pid (its work horse ran the task)
    assert run["started_at"] and run["finished_at"]
    log = (instance.tmp / "u.log").read_text()
    assert "recording site-hook" in log and "task record (run " in log and "succeeded in" in log
    # issue 28.6: the work horse ends with os._exit; its records reached the stream before
    records = [fields for _, fields in logstream.read(logstream.client_for(instance.stream_url), count=100_000)]
    horse = [f["message"].split(" in ")[0] for f in records if int(f["pid"]) != instance.worker.pid and (
        f["message"] == "recording site-hook" or f["message"].startswith(f"task record (run {run['id']}) "))]
    assert sorted(horse) == ["recording site-hook", f"task record (run {run['id']}) started",
                             f"task record (run {run['id']}) succeeded"], records


def test_a_rolled_back_enqueue_never_reaches_redis(instance):
    instance.shell(worker_tests.ROLL_BACK_THEN_COMMIT)
    instance.wait_for(lambda: instance.output("committed"), message="the committed task did not run")
    time.sleep(0.5)
    assert not (instance.out / "rolled-back").exists()
    assert not [r for r in instance.runs() if r["kwargs"] == {"label": "rolled-back"}]


def test_a_failing_task_is_listed_failed_with_its_traceback_in_the_log(instance):
    instance.shell("from userscripts.worktasks import boom; boom.enqueue()")
    failed = instance.wait_for(lambda: [r for r in instance.runs("--status", "failed")
                                        if r["task"] == "worktasks.boom"])
    assert failed[0]["error"] == "RuntimeError: device unreachable" and "Traceback" in failed[0]["traceback"]
    log = (instance.tmp / "u.log").read_text()
    assert "task boom (run " in log and "RuntimeError: device unreachable" in log


def test_the_rq_worker_runs_the_current_version_and_fails_a_removed_task(instance):
    write_atomically(instance.root / "worktasks.py", SCRIPT.format(version="v2"))
    time.sleep(1.5)  # the worker's reloader: within a second
    instance.shell("from userscripts.worktasks import record; record.enqueue(label='after-edit')")
    assert instance.wait_for(lambda: instance.output("after-edit")).split()[1] == "v2"
    instance.stop_worker()
    instance.shell("from userscripts.worktasks import nap; nap.enqueue(seconds=0)")
    write_atomically(instance.root / "worktasks.py", SCRIPT.format(version="v3").replace("def nap", "def doze"))
    instance.start_worker()
    failed = instance.wait_for(lambda: [r for r in instance.runs("--status", "failed") if r["task"] == "worktasks.nap"])
    assert failed[0]["error"] == "LookupError: userscript worktasks defines no task nap (it was removed or renamed)."
    assert "task nap (run " in (instance.tmp / "u.log").read_text()


def test_a_background_job_runs_on_rq(instance):
    queued = instance.manage("runjob", "--background", "local/where/WhereAmI")
    pk = re.search(r"job result #(\d+), pending", queued.stdout)[1]

    def finished():
        line = instance.shell(f"""
            from netbox_userscripts.models import JobResult
            r = JobResult.objects.get(pk={pk})
            print(r.status, r.task_id or "-", r.pid, r.output or "- -")
        """).stdout.split()[-5:]
        return line if line[0] in ("completed", "errored", "failed") else None

    status, task_id, pid, horse, parent = instance.wait_for(finished, message="the job did not run")
    assert status == "completed" and pid == horse and int(parent) == instance.worker.pid
    assert len(task_id) == 32  # RQ's job id, recorded after the commit handed it the task


def test_a_failing_task_is_tried_again_after_its_back_off_until_max_attempts(instance):
    instance.shell("from userscripts.worktasks import flaky; flaky.enqueue(label='flaky')")
    instance.wait_for(lambda: instance.output("flaky") == "3", message="flaky did not get its third attempt")
    run = instance.wait_for(lambda: [r for r in instance.runs("--status", "succeeded")
                                     if r["task"] == "worktasks.flaky"])[0]
    assert run["result"] == 3
    log = (instance.tmp / "u.log").read_text()
    assert "attempt 1 of 3 failed, trying again in 0:00:00.200000" in log
    assert "attempt 2 of 3 failed, trying again in 0:00:00.400000" in log
