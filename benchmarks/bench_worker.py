"""Figures 11 and 12: the database worker, measured with real ``userscripts_worker`` processes.

Figure 11: commit-to-start latency of a task, p50 and p99 (``started_at - enqueued_at`` of
each run, both written by the database's clock of one machine): ``LATENCY_TASKS`` tasks
enqueued one by one at random moments, one worker with its default poll (1 s).
Figure 12: ``THROUGHPUT_TASKS`` tasks queued, then two workers (``--batch``: they exit when
the queue is empty); tasks per second from the first start to the last end, and every task
ran exactly once (each appends its number to a file).
"""
import os
import random
import statistics
import subprocess
import sys
import time

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from benchmarks.common import PROJECT, SANDBOX, WORK, Figure
from netbox_userscripts.tasks import task

LATENCY_TASKS = 30
THROUGHPUT_TASKS = 1000
RAN = WORK / "ran.txt"


@task
def mark(n):
    with open(RAN, "a") as out:  # O_APPEND: one short write per line, never torn
        out.write(f"{n}\n")
    return n


def worker(*args):
    env = {**os.environ, "PYTHONPATH": f"{SANDBOX}{os.pathsep}{PROJECT}"}
    return subprocess.Popen([sys.executable, str(SANDBOX / "manage.py"), "userscripts_worker", "--no-scheduler",
                             "-v", "0", *args], cwd=PROJECT, env=env)


def wait_done(count, timeout):
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(status="SUCCESSFUL").count() < count:
        if time.monotonic() > deadline:
            raise AssertionError("the tasks did not all run")
        time.sleep(0.1)


def latency():
    proc = worker()
    try:
        time.sleep(4)  # the worker is up and polling
        for n in range(LATENCY_TASKS):
            mark.enqueue(n=n)
            time.sleep(random.uniform(0.1, 0.6))
        wait_done(LATENCY_TASKS, 30)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    seconds = sorted((r.started_at - r.enqueued_at).total_seconds() for r in DBTaskResult.objects.all())
    p50, p99 = statistics.median(seconds), seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))]
    return Figure("11", "commit-to-start latency of a task, database worker (poll 1 s), p50 (p99 in details)",
                  round(p50, 3), "p50 <= 1.5", p50 <= 1.5, "s", {"p99_s": round(p99, 3), "tasks": len(seconds)})


def throughput():
    DBTaskResult.objects.all().delete()
    RAN.unlink(missing_ok=True)
    with transaction.atomic():
        for n in range(THROUGHPUT_TASKS):
            mark.enqueue(n=n)
    workers = [worker("--batch", "--interval", "0.1"), worker("--batch", "--interval", "0.1")]
    for proc in workers:
        proc.wait(timeout=300)
    runs = DBTaskResult.objects.all()
    first = min(r.started_at for r in runs)
    last = max(r.finished_at for r in runs if r.finished_at)
    lines = RAN.read_text().split()
    per_second = THROUGHPUT_TASKS / (last - first).total_seconds()
    exactly_once = sorted(map(int, lines)) == list(range(THROUGHPUT_TASKS))
    by_worker = {}
    for r in runs:
        by_worker[r.worker_ids[-1]] = by_worker.get(r.worker_ids[-1], 0) + 1
    return Figure("12", f"{THROUGHPUT_TASKS} tasks through 2 database workers: tasks per second, each run once",
                  round(per_second, 1), "all run once", exactly_once, "tasks/s",
                  {"ran": len(lines), "distinct": len(set(lines)), "per_worker": sorted(by_worker.values())})


def run():
    DBTaskResult.objects.all().delete()
    return [latency(), throughput()]
