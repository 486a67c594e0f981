"""Tasks on RQ while Redis is down, from the outside: the outbox keeps them, nothing committed is lost.

One instance: a ``redis-server`` on a fixed port that the tests stop and start again, a
configuration with ``TASKS`` naming django-tasks-rq, gunicorn serving the API, and (when a
test starts one) an RQ ``userscripts_worker``. A job run with ``commit`` while Redis is
down answers as usual with its writes committed, and its task runs once Redis is back; a
background run then is a 503 naming the queue, with no result left pending; two processes
handing the waiting tasks over at once queue each of them once.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import time

import pytest
import redis as redis_client
import requests

from tests import test_tasks_worker as worker_tests
from tests.gunicorn import GUNICORN, fresh_database, serve, wait_until, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT
from tests.redisserver import REDIS_SERVER, RedisServer
from tests.test_tasks_rq import Instance as RQInstance

pytestmark = pytest.mark.skipif(
    not shutil.which(REDIS_SERVER) or importlib.util.find_spec("django_tasks_rq") is None or not GUNICORN.exists(),
    reason="needs redis-server, django-tasks-rq and gunicorn")

JOB = '''\
from dcim.models import Site
from netbox_userscripts.jobs import Job, StringVar
from userscripts.worktasks import record


class Provision(Job):
    site_name = StringVar()

    def run(self, data, commit):
        Site.objects.create(name=data["site_name"], slug=data["site_name"])
        record.enqueue(label=f"provisioned-{data['site_name']}")
        return "queued"
'''
WAITING = ("import json; from netbox_userscripts.models import TaskOutbox; "
           "print(json.dumps([row.args_kwargs['kwargs'].get('label') for row in TaskOutbox.objects.all()]))")
HAND_OVER = """
import time
from netbox_userscripts.tasks import outbox
from netbox_userscripts.models import TaskOutbox
outbox.PAUSE = 0.05
deadline = time.monotonic() + 30
while TaskOutbox.objects.exists() and time.monotonic() < deadline:
    outbox.hand_over_waiting(limit=5)
"""


class Instance(RQInstance):
    def waiting(self):
        """The labels of the tasks waiting in the outbox."""
        return json.loads(self.shell(WAITING).stdout.splitlines()[-1])

    def run(self, job, body):
        return requests.post(f"{self.base}/api/extras/jobs/{job}/run/", json=body, headers=self.headers, timeout=60)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outbox")
    root, out = tmp / "scripts", tmp / "out"
    root.mkdir()
    out.mkdir()
    write_atomically(root / "worktasks.py", worker_tests.SCRIPT.format(version="v1"))
    write_atomically(root / "provision.py", JOB)
    server = RedisServer(tmp).start()
    extra = ("TASKS = {'default': {'BACKEND': 'django_tasks_rq.RQBackend'}}\n"
             f"REDIS = {{'tasks': {{'HOST': '127.0.0.1', 'PORT': {server.port}, 'DATABASE': 3}}}}\n")
    config = write_configuration(tmp, root, database=fresh_database(f"outbox_{os.getpid()}"), extra=extra)
    inst = Instance(tmp, root, config, out)
    inst.redis, inst.queue = server, redis_client.Redis(port=server.port, db=3)
    subprocess.run([*MANAGE, "migrate", "--no-input", "-v0"], cwd=PROJECT, env=inst.env, check=True, timeout=600)
    inst.shell("from django.contrib.auth.models import User; User.objects.create_superuser('admin', password='x')")
    inst.headers = {"Authorization": f"Token {inst.manage('create_token', 'admin').stdout.split()[-1]}"}
    try:
        with serve(config, workers=1, env=inst.env) as base:
            inst.base = base
            wait_until(lambda: inst.run("provision.Provision", {}).status_code == 400, timeout=60)
            yield inst
    finally:
        inst.stop_worker()
        server.stop()


def test_two_processes_handing_over_at_once_queue_each_task_once(instance):
    instance.redis.stop()
    instance.shell("""
        from django.db import transaction
        from userscripts.worktasks import record
        with transaction.atomic():
            for n in range(40):
                record.enqueue(label=f"twice-{n}")
    """)  # handed over at the commit: Redis is down, so all 40 wait
    assert len(instance.waiting()) == 40
    instance.redis.start()
    both = [subprocess.Popen([*MANAGE, "shell", "-c", HAND_OVER], cwd=PROJECT, env=instance.env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in both:
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    assert instance.waiting() == []
    queued = [job_id.decode() for job_id in instance.queue.lrange("rq:queue:default", 0, -1)]
    assert len(queued) == len(set(queued)) == 40  # each task once, under its outbox row's id


def test_a_job_committed_while_redis_is_down_answers_and_its_task_runs_when_redis_is_back(instance):
    instance.queue.flushdb()
    instance.redis.stop()
    started = time.monotonic()
    answer = instance.run("provision.Provision", {"data": {"site_name": "down"}, "commit": True})
    assert answer.status_code == 201, answer.text  # not a 500: the task waits in the outbox
    assert answer.json()["status"]["value"] == "completed" and time.monotonic() - started < 10
    assert instance.shell("from dcim.models import Site; print(Site.objects.filter(slug='down').count())"
                          ).stdout.split()[-1] == "1"  # the job's writes are committed
    assert "provisioned-down" in instance.waiting()  # and the Site hook's task
    instance.redis.start()
    instance.start_worker()  # its heartbeat (or gunicorn's) hands the task over; it runs once
    instance.wait_for(lambda: instance.output("provisioned-down"), timeout=60, message="the task never ran")
    assert instance.waiting() == []
    runs = [r for r in instance.runs("--status", "succeeded") if r["kwargs"] == {"label": "provisioned-down"}]
    assert len(runs) == 1


def test_a_background_run_while_redis_is_down_is_a_503_naming_the_queue_and_leaves_nothing(instance):
    instance.stop_worker()
    count = "from netbox_userscripts.models import JobResult; print(JobResult.objects.count())"
    before = instance.shell(count).stdout.split()[-1]
    instance.redis.stop()
    try:
        answer = instance.run("provision.Provision", {"data": {"site_name": "bg"}, "background": True})
        assert answer.status_code == 503, answer.text
        detail = answer.json()["detail"]
        assert f"the task queue 'default' (Redis at 127.0.0.1:{instance.redis.port}) cannot be reached" in detail
        assert "Nothing was queued" in detail
        assert instance.shell(count).stdout.split()[-1] == before  # no pending result left behind
        cli = instance.manage("runjob", "--background", "provision.Provision", "--data",
                              json.dumps({"site_name": "bg"}), check=False)
        assert cli.returncode == 1 and "cannot be reached" in cli.stderr
    finally:
        instance.redis.start()
    answer = instance.run("provision.Provision", {"data": {"site_name": "bg"}, "background": True})
    assert answer.status_code == 202, answer.text
