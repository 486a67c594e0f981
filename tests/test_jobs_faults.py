"""A job whose process dies half way: nothing of it is committed and its result ends ``errored``.

``manage.py runjob`` runs in a real process on the test database; the test kills it with
SIGKILL in the middle of ``run()``. The next job start, and reading the results (API and
pages), sweep a ``running`` result whose process is gone; a result of another host, or of
a live process, is left alone.
"""
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from netbox_userscripts.jobs.runner import run_job
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts.models import ABANDONED_MESSAGE, JobResult, JobStatusChoices, this_host
from tests.project import MANAGE, PROJECT, environment

JOBS = """
import os
import time
from pathlib import Path

from django.contrib.auth.models import Group
from netbox_userscripts.jobs import *

class SlowGroups(Job):
    ready_file = StringVar()

    def run(self, data, commit):
        for i in range(3):
            Group.objects.create(name=f"killed-{i}")
        self.log_info("made 3 groups, now waiting to be killed")
        Path(data["ready_file"]).write_text(str(os.getpid()))
        time.sleep(120)

class Quick(Job):
    def run(self, data, commit):
        Group.objects.create(name="quick")
"""


@pytest.fixture
def jobs(userscripts):
    userscripts.load_module("fault_jobs", JOBS)
    return userscripts


def _reaped_pid():
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def stale_result(**fields):
    values = dict(class_path="local/fault_jobs/Quick", job_name="fault_jobs.Quick", status=JobStatusChoices.RUNNING,
                  hostname=this_host(), pid=_reaped_pid())
    values.update(fields)
    return JobResult.objects.create(**values)


def subprocess_env(tmp_path, root, log_file):
    """Environment for ``manage.py`` on the test database (SQLite file or PostgreSQL)."""
    db = connection.settings_dict
    database = {key: db[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT") if db.get(key)}
    config = tmp_path / "configuration.py"
    config.write_text(f"DATABASE = {database!r}\nUSERSCRIPTS_ROOT = {str(root)!r}\n"
                      f"USERSCRIPTS_LOG_FILE = {str(log_file)!r}\nUSERSCRIPTS_AUTORELOAD = False\n"
                      "SECRET_KEY = 'x'\n")
    return environment(config)


@pytest.mark.django_db(transaction=True)
def test_sigkill_in_run_commits_nothing_and_the_next_start_marks_it_errored(jobs, tmp_path):
    ready = tmp_path / "ready"
    env = subprocess_env(tmp_path, jobs.root, jobs.log)
    process = subprocess.Popen(
        [*MANAGE, "runjob", "--commit", "--data", json.dumps({"ready_file": str(ready)}),
         "local/fault_jobs/SlowGroups"], cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not ready.exists():
            if process.poll() is not None:
                out, err = process.communicate()
                pytest.fail(f"runjob ended before it was ready ({process.returncode}):\n{out.decode()}{err.decode()}")
            assert time.monotonic() < deadline, "runjob never reached the middle of run()"
            time.sleep(0.05)
        assert int(ready.read_text()) == process.pid
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL

    assert Group.objects.count() == 0  # the job's transaction never committed
    killed = JobResult.objects.get(job_name="fault_jobs.SlowGroups")
    assert killed.status == JobStatusChoices.RUNNING and killed.completed is None
    assert (killed.pid, killed.hostname) == (process.pid, this_host())
    assert killed.data == {"ready_file": str(ready)} and killed.commit is True

    later = run_job(registry.get_job("fault_jobs.Quick"), commit=True)  # a later start sweeps
    assert later.status == JobStatusChoices.COMPLETED
    assert list(Group.objects.values_list("name", flat=True)) == ["quick"]
    killed.refresh_from_db()
    assert killed.status == JobStatusChoices.ERRORED and killed.completed is not None
    assert ABANDONED_MESSAGE in killed.traceback and f"Process {process.pid}" in killed.traceback
    assert killed.log[-1]["level"] == "failure" and killed.log[-1]["message"] == ABANDONED_MESSAGE
    central = jobs.log.read_text()
    assert "SlowGroups [run] info: made 3 groups, now waiting to be killed" in central  # logged before the kill
    assert f"SlowGroups [run] failure: {ABANDONED_MESSAGE} (job result #{killed.pk}" in central


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/extras/job-results/", "/api/extras/job-results/{pk}/", "/jobs/results/",
                                 "/jobs/results/{pk}/", "/jobs/", "/admin/netbox_userscripts/jobresult/"])
def test_reading_results_writes_nothing_the_command_sweeps(jobs, admin_client, url):
    stale = stale_result()
    response = admin_client.get(url.format(pk=stale.pk))
    assert response.status_code == 200
    stale.refresh_from_db()
    assert stale.status == JobStatusChoices.RUNNING  # a read is a read: sweeping is for starts and the command
    out = io.StringIO()
    call_command("sweep_jobresults", stdout=out)
    assert out.getvalue().strip() == "1 abandoned job result marked errored."
    stale.refresh_from_db()
    assert stale.status == JobStatusChoices.ERRORED and ABANDONED_MESSAGE in stale.traceback
    response = admin_client.get(url.format(pk=stale.pk))
    if url.startswith("/api/") and "{pk}" in url:
        body = response.json()
        assert body["status"]["value"] == "errored" and ABANDONED_MESSAGE in body["traceback"]
        assert (body["pid"], body["hostname"]) == (stale.pid, this_host())
    elif "{pk}" in url:
        assert ABANDONED_MESSAGE.encode() in response.content


@pytest.mark.django_db
def test_other_hosts_live_processes_and_unknown_pids_are_left_alone(jobs):
    other_host = stale_result(hostname="another-machine")
    alive = stale_result(pid=os.getpid())
    unknown = stale_result(pid=None, hostname="")  # written before pids were recorded
    dead = stale_result()
    assert JobResult.sweep_abandoned() == 1
    assert JobResult.sweep_abandoned() == 0
    statuses = dict(JobResult.objects.values_list("pk", "status"))
    assert statuses == {other_host.pk: "running", alive.pk: "running", unknown.pk: "running", dead.pk: "errored"}


@pytest.mark.django_db
def test_finished_results_are_never_swept(jobs):
    done = stale_result(status=JobStatusChoices.COMPLETED, traceback="")
    assert JobResult.sweep_abandoned() == 0
    done.refresh_from_db()
    assert done.status == JobStatusChoices.COMPLETED and done.traceback == ""


@pytest.mark.django_db
def test_a_run_records_its_process(jobs):
    result = run_job(registry.get_job("fault_jobs.Quick"), commit=False)
    assert (result.pid, result.hostname) == (os.getpid(), this_host())
    assert result.status == JobStatusChoices.COMPLETED


@pytest.mark.django_db
def test_admin_lists_results_read_only(jobs, admin_client):
    quick = run_job(registry.get_job("fault_jobs.Quick"), commit=False)
    killed = stale_result(class_path="local/fault_jobs/SlowGroups", job_name="fault_jobs.SlowGroups")
    call_command("sweep_jobresults", stdout=io.StringIO())
    base = "/admin/netbox_userscripts/jobresult/"
    page = admin_client.get(base)
    assert page.status_code == 200 and b"fault_jobs.Quick" in page.content and b"fault_jobs.SlowGroups" in page.content
    errored = admin_client.get(base + "?status__exact=errored").content
    assert b"fault_jobs.SlowGroups" in errored and b"fault_jobs.Quick" not in errored
    found = admin_client.get(base + "?q=Quick").content
    assert b"fault_jobs.Quick" in found and b"fault_jobs.SlowGroups" not in found
    detail = admin_client.get(f"{base}{killed.pk}/change/")
    assert detail.status_code == 200 and ABANDONED_MESSAGE.encode() in detail.content
    assert b'name="_save"' not in detail.content  # read-only
    assert admin_client.get(base + "add/").status_code == 403
    assert admin_client.post(f"{base}{quick.pk}/change/", {"status": "failed"}).status_code == 403
    assert JobResult.objects.get(pk=quick.pk).status == JobStatusChoices.COMPLETED
