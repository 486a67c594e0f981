"""Two hosts from one git repository: each its own folder and gunicorn workers, one database, one Redis.

A commit pushed and synced on one host is answered by every worker of both within 5 s, the
process table shows them all on it (the task worker of the second host too), a task
enqueued afterwards runs the new version, every process's log lines reach the one Redis
stream, a bad commit keeps the old version on all, and a ``runjob`` started afterwards runs
the recorded version. On SQLite, and on PostgreSQL in the suite's PostgreSQL pass.
"""
import json
import os
import subprocess
import time

import pytest
import requests

from netbox_userscripts.log import stream as logstream
from tests.gitrepo import GitRepo
from tests.gunicorn import GUNICORN, fresh_database, serve, wait_until, write_configuration
from tests.project import MANAGE, PROJECT, environment
from tests.redisserver import redis_server

SCRIPT = """\
import os
from netbox_userscripts.jobs import Job
from netbox_userscripts.tasks import task

VERSION = "{version}"

@task
def which_task():
    logger.info("task ran %s", VERSION)
    return VERSION

def call(**kwargs):
    if "enqueue" in kwargs:
        return str(which_task.enqueue().id)
    logger.info("answered %s", VERSION)
    return f"{{VERSION}} {{os.getpid()}}"

class Which(Job):
    def run(self, data, commit):
        return VERSION
"""


def manage(config, *args):
    return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=environment(config), capture_output=True, text=True,
                          timeout=120)


class Host:
    def __init__(self, tmp_path, name, repo, database, stream):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "userscripts").mkdir()
        self.name = name
        self.config = write_configuration(
            folder, folder / "userscripts", database=database, anonymous_calls=["which"],
            extra=f"USERSCRIPTS_GIT = {{'url': {str(repo.path)!r}, 'branch': 'main'}}\nALLOWED_HOSTS = ['*']\n"
                  f"USERSCRIPTS_LOG_STREAM = {stream!r}\n")


def shared_database(tmp_path):
    """The hosts' one database: a new PostgreSQL database in the PostgreSQL pass, else an SQLite file."""
    return fresh_database(f"hosts_{os.getpid()}") or \
        f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'shared.sqlite3')!r}}}"


def task_result(config, task_id):
    rows = json.loads(manage(config, "userscripts", "--tasks", "--json").stdout)
    run, = [row for row in rows if row["id"] == task_id]
    return run


def answers(base, count=30):
    url = f"{base}/userscript/?script=which"
    return [requests.get(url, timeout=5, headers={"Connection": "close"}).text for _ in range(count)]


def every_worker_answers(base, version, workers=2):
    """True when ``workers`` different pids answered and all said ``version``."""
    seen = answers(base)
    pids = {a.split()[-1] for a in seen}
    return all(a.startswith(version + " ") for a in seen) and len(pids) >= workers


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_two_hosts_converge_on_the_synced_commit(tmp_path):
    repo = GitRepo(tmp_path / "origin")
    database = shared_database(tmp_path)
    first = repo.commit({"which.py": SCRIPT.format(version="v1")})
    with redis_server(tmp_path) as stream:
        a, b = Host(tmp_path, "a", repo, database, stream.url), Host(tmp_path, "b", repo, database, stream.url)
        assert manage(a.config, "migrate", "--no-input").returncode == 0
        synced = manage(a.config, "userscripts_sync")
        assert synced.returncode == 0 and first[:12] in synced.stdout, synced.stderr
        worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.2"], cwd=PROJECT,
                                  env=environment(b.config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True)
        try:
            converge_and_prove(repo, a, b, stream, worker)
        finally:
            worker.terminate()
            worker.wait(timeout=15)


def converge_and_prove(repo, a, b, stream, worker):
    with serve(a.config, workers=2) as base_a, serve(b.config, workers=2) as base_b:
        for base in (base_a, base_b):  # started after the sync: each starts on it
            wait_until(lambda base=base: every_worker_answers(base, "v1"), timeout=60)
        second = repo.commit({"which.py": SCRIPT.format(version="v2")})
        synced = manage(b.config, "userscripts_sync")
        assert synced.returncode == 0, synced.stderr
        done = time.monotonic()
        for base in (base_a, base_b):
            wait_until(lambda base=base: every_worker_answers(base, "v2"), timeout=5,
                       message=f"{base} not on the synced commit within 5 s")
        assert time.monotonic() - done <= 5.5

        task_id = requests.get(f"{base_a}/userscript/?script=which&enqueue=1", timeout=5).text
        wait_until(lambda: task_result(b.config, task_id)["status"] == "succeeded", timeout=30,
                   message="the task worker did not run the task")
        assert task_result(b.config, task_id)["result"] == "v2"

        time.sleep(3.5)  # one refresh of every row
        table = json.loads(manage(a.config, "userscripts", "--processes", "--json").stdout)
        live = [row for row in table["results"] if row["state"] == "live"]
        web = [row for row in live if row["role"] == "web"]
        workers = [row for row in live if row["role"] == "worker"]
        assert table["recorded"] == second
        assert len(web) >= 4 and {row["version"] for row in web} == {second}
        assert [row["pid"] for row in workers] == [worker.pid] and workers[0]["version"] == second
        assert not any(row["mismatch"] for row in live) and all(row["loaded"] == ["which"] for row in live)
        assert (a.config.parent / "userscripts" / "which.py").read_text() == SCRIPT.format(version="v2")

        records = [fields for _, fields in logstream.read(logstream.client_for(stream.url), count=100_000)]
        pids = {int(f["pid"]) for f in records if f["message"] == "answered v2"}
        assert pids == {row["pid"] for row in web}  # every web worker of both hosts, in one stream
        assert any(f["message"] == "task ran v2" and int(f["pid"]) == worker.pid for f in records)

        repo.commit({"which.py": "def call(:\n"})
        failed = manage(a.config, "userscripts_sync")
        assert failed.returncode == 1 and f"keeping {second[:12]}" in failed.stderr
        assert "Traceback" not in failed.stderr
        time.sleep(1.5)
        for base in (base_a, base_b):
            assert every_worker_answers(base, "v2")
        job = manage(b.config, "runjob", "local/which/Which")
        assert job.returncode == 0 and "v2" in job.stdout, job.stdout + job.stderr
