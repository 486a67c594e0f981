"""Figure 11, RQ half: commit-to-start latency of a task on RQ (django-tasks-rq), p50 and p99.

A throw-away ``redis-server``, one ``userscripts_worker`` (then an RQ worker) and one
enqueuing process, each a process of the sandbox project configured with
``TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}`` and NetBox's ``REDIS``.
The enqueuer commits ``LATENCY_TASKS`` transactions, each enqueuing one task of a
userscript, at random moments; the task is handed to RQ at the commit, so RQ's
``enqueued_at`` is the commit and its ``started_at`` the worker's start (both this machine's
clock). Skipped (no value) where ``redis-server`` or ``django-tasks-rq`` is missing.
"""
import importlib.util
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time

import redis
from rq.job import Job

from benchmarks.common import PROJECT, SANDBOX, WORK, Figure, write_configuration

LATENCY_TASKS = 30
TASKS = '''\
from netbox_userscripts.tasks import task


@task
def mark(n):
    return n
'''
ENQUEUE = f'''\
import random, time
from django.db import transaction
from userscripts.latency import mark
for n in range({LATENCY_TASKS}):
    with transaction.atomic():
        mark.enqueue(n=n)  # handed to RQ when this transaction commits
    time.sleep(random.uniform(0.1, 0.4))
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skipped(why):
    return [Figure("11rq", "commit-to-start latency of a task, RQ worker, p50 (p99 in details)", None,
                   "p50 <= 0.1", True, "s", {"skipped": why})]


def run():
    server = shutil.which("redis-server")
    if server is None or importlib.util.find_spec("django_tasks_rq") is None:
        return skipped("redis-server or django-tasks-rq is not installed")
    port = free_port()
    redis_proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--dir", str(WORK)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, db=2)
    (WORK / "userscripts").mkdir(parents=True, exist_ok=True)
    (WORK / "userscripts" / "latency.py").write_text(TASKS)
    config = write_configuration("rq_configuration.py",
                                 TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend"}},
                                 REDIS={"tasks": {"HOST": "127.0.0.1", "PORT": port, "DATABASE": 2}})
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "PYTHONPATH": f"{SANDBOX}{os.pathsep}{PROJECT}"}
    manage = [sys.executable, str(SANDBOX / "manage.py")]
    worker = None
    try:
        _wait_for(client)
        # the database is this figure's, migrated by run.py; stdout is the figure's JSON
        worker = subprocess.Popen([*manage, "userscripts_worker", "--no-scheduler", "-v", "0"], cwd=PROJECT, env=env,
                                  stdout=subprocess.DEVNULL)
        time.sleep(4)  # the worker is up and blocking on its queue
        subprocess.run([*manage, "shell", "-c", ENQUEUE], cwd=PROJECT, env=env, check=True, capture_output=True)
        seconds = _latencies(client, LATENCY_TASKS, timeout=30)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=15)
        redis_proc.terminate()
        redis_proc.wait(timeout=10)
    p50, p99 = statistics.median(seconds), seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    return [Figure("11rq", "commit-to-start latency of a task, RQ worker (django-tasks-rq), p50 (p99 in details)",
                   round(p50, 4), "p50 <= 0.1", p50 <= 0.1, "s", {"p99_s": round(p99, 4), "tasks": len(seconds)})]


def _wait_for(client):
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _latencies(client, count, timeout):
    """``started_at - enqueued_at`` of every finished run, once all ``count`` have finished."""
    deadline = time.monotonic() + timeout
    while True:
        ids = [key.decode().removeprefix("rq:job:") for key in client.scan_iter("rq:job:*")
               if key.count(b":") == 2]
        jobs = [job for job in Job.fetch_many(ids, connection=client) if job is not None and job.ended_at]
        if len(jobs) >= count:
            return sorted((job.started_at - job.enqueued_at).total_seconds() for job in jobs)
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(jobs)} of {count} tasks ran: {json.dumps(ids[:5])}")
        time.sleep(0.2)
