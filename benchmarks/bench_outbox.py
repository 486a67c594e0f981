"""Figure 15: tasks enqueued on RQ while Redis is down for ``DOWN_SECONDS``, then up: all run, each once.

A throw-away ``redis-server``, one ``userscripts_worker`` on RQ running all along, and one
enqueuing process of the sandbox project configured as figure 11rq's. Redis is killed
(SIGKILL, as a crash); the enqueuer commits ``TASKS_DOWN`` transactions, each enqueuing one
task of a userscript, spread over the outage; then a new ``redis-server`` starts on the same
port, empty. Each task appends its number to a file when it runs. The figure is the tasks
lost (enqueued in a committed transaction, never run) plus those run more than once: 0. The
seconds from Redis's return to the last run are in the details. Skipped (no value) where
``redis-server`` or ``django-tasks-rq`` is missing.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

import redis

from benchmarks.bench_worker_rq import _wait_for, free_port
from benchmarks.common import PROJECT, SANDBOX, WORK, Figure, write_configuration

TASKS_DOWN = 100
DOWN_SECONDS = 10
RUN_TIMEOUT = 120  # seconds after Redis is back for all to have run
NAME = f"{TASKS_DOWN} tasks enqueued while Redis is down for {DOWN_SECONDS} s, then up: lost or run twice"
TASKS = '''\
from netbox_userscripts.tasks import task


@task
def mark(n, path):
    with open(path, "a") as runs:  # one short write per run, appended
        runs.write(f"{n}\\n")
'''
ENQUEUE = f'''\
import time
from django.db import transaction
from userscripts.outage import mark
for n in range({TASKS_DOWN}):
    with transaction.atomic():
        mark.enqueue(n=n, path=RUNS)  # Redis is down at this commit: the task waits in the outbox
    time.sleep({DOWN_SECONDS * 0.8 / TASKS_DOWN})
'''


def skipped(why):
    return [Figure("15", NAME, None, "0", True, "", {"skipped": why})]


class Redis:
    """A ``redis-server`` on a port of its own, killed and started again on it."""

    def __init__(self, server):
        self.server, self.port, self.process = server, free_port(), None

    def start(self):
        self.process = subprocess.Popen([self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(WORK)], stdout=subprocess.DEVNULL)
        _wait_for(redis.Redis(port=self.port))

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)


def run():
    server = shutil.which("redis-server")
    if server is None or importlib.util.find_spec("django_tasks_rq") is None:
        return skipped("redis-server or django-tasks-rq is not installed")
    queue = Redis(server)
    queue.start()
    (WORK / "userscripts").mkdir(parents=True, exist_ok=True)
    (WORK / "userscripts" / "outage.py").write_text(TASKS)
    runs = WORK / "runs.txt"
    config = write_configuration("outbox_configuration.py",
                                 TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend"}},
                                 REDIS={"tasks": {"HOST": "127.0.0.1", "PORT": queue.port, "DATABASE": 2}})
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "PYTHONPATH": f"{SANDBOX}{os.pathsep}{PROJECT}"}
    manage = [sys.executable, str(SANDBOX / "manage.py")]
    worker = subprocess.Popen([*manage, "userscripts_worker", "--no-scheduler", "-v", "0"], cwd=PROJECT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)  # the worker is up and blocking on its queue
        queue.kill()
        down = time.monotonic()
        subprocess.run([*manage, "shell", "-c", f"RUNS = {str(runs)!r}\n" + ENQUEUE], cwd=PROJECT, env=env,
                       check=True, capture_output=True)
        time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - down)))
        queue.start()
        up = time.monotonic()
        counts = _wait_for_runs(runs, up + RUN_TIMEOUT)
        all_ran = time.monotonic() - up
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        queue.kill()
    lost = TASKS_DOWN - len(counts)
    twice = sum(1 for times in counts.values() if times > 1)
    return [Figure("15", NAME, lost + twice, "0", lost + twice == 0, "",
                   {"ran": len(counts), "lost": lost, "ran_twice": twice,
                    "seconds_from_redis_up_to_last_run": round(all_ran, 2)})]


def _wait_for_runs(runs, deadline):
    """``{task number: runs}`` once all ``TASKS_DOWN`` ran (and a moment more, for a second run), or at ``deadline``."""
    while True:
        counts = Counter(runs.read_text().split()) if runs.exists() else Counter()
        if len(counts) >= TASKS_DOWN or time.monotonic() > deadline:
            time.sleep(2)  # a task handed over twice would run again within this
            return Counter(runs.read_text().split()) if runs.exists() else counts
        time.sleep(0.2)
