"""Jobs in the background from the outside: the API, the job page's form and ``runjob``, with a real worker.

One instance per module: a configuration (SQLite, or a fresh PostgreSQL database in the
``tests/pgserver.py`` run), a migrated database, a userscripts folder, gunicorn, and one
``userscripts_worker`` process. Results are read back through the API.
"""
import os
import re
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from django.utils import timezone as django_timezone

from netbox_userscripts.jobs.background import queue_next, run_queued
from netbox_userscripts.scripts.models import JobResult
from tests.gunicorn import GUNICORN, fresh_database, serve, wait_until, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT, environment

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")

JOBS = '''\
import os
import time

from dcim.models import Site
from netbox_userscripts.jobs import FileVar, IntegerVar, Job, StringVar


class MakeSite(Job):
    site_name = StringVar()

    class Meta:
        name = "Make a site"
        commit_default = False

    def run(self, data, commit):
        Site.objects.create(name=data["site_name"], slug=data["site_name"])
        self.log_success(f"made {data['site_name']}")
        return str(os.getpid())


class Nap(Job):
    seconds = IntegerVar(default=1)

    def run(self, data, commit):
        time.sleep(data["seconds"])
        return str(os.getpid())


class Upload(Job):
    upload = FileVar()

    def run(self, data, commit):
        return data["upload"].read().decode()
'''

GONE = '''\
from netbox_userscripts.jobs import Job


class Gone(Job):
    def run(self, data, commit):
        return "ran"
'''


class Instance:
    def __init__(self, tmp, root, config):
        self.tmp, self.root, self.config = tmp, root, config
        self.env = environment(config, USERSCRIPTS_WATCH_POLLING="0")
        self.base = self.worker = None
        self.headers = {}

    def manage(self, *args, check=True):
        return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=self.env, capture_output=True, text=True,
                              timeout=60, check=check)

    def start_worker(self):
        self.worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1", "--sweep-every", "0.5"],
                                       cwd=PROJECT, env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)

    def stop_worker(self, sig=signal.SIGTERM):
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, sig)
            self.worker.wait(timeout=15)
        self.worker = None

    def api(self, method, path, **kwargs):
        return requests.request(method, f"{self.base}/api/{path}", headers=self.headers, timeout=30, **kwargs)

    def run(self, job, body, headers=None):
        return requests.post(f"{self.base}/api/extras/jobs/{job}/run/", json=body, headers=headers or self.headers,
                             timeout=30)

    def result(self, pk):
        return self.api("GET", f"extras/job-results/{pk}/").json()

    def results(self):
        return self.api("GET", "extras/job-results/?limit=1000").json()["results"]

    def wait_for(self, pk, statuses, timeout=30):
        """Poll result ``pk`` until its status is one of ``statuses``; returns it and every status seen."""
        seen, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = self.result(pk)
            if not seen or seen[-1] != result["status"]["value"]:
                seen.append(result["status"]["value"])
            if seen[-1] in statuses:
                return result, seen
            time.sleep(0.05)
        raise AssertionError(f"result {pk} stayed {seen}")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("background")
    root = tmp / "scripts"
    root.mkdir()
    write_atomically(root / "bg.py", JOBS)
    config = write_configuration(tmp, root, database=fresh_database(f"background_{os.getpid()}"))
    inst = Instance(tmp, root, config)
    inst.manage("migrate", "--no-input", "-v0")
    inst.manage("shell", "-c", "from django.contrib.auth.models import User; "
                               "User.objects.create_superuser('admin', password='admin-pass'); "
                               "User.objects.create_user('plain', password='plain-pass')")
    inst.headers = {"Authorization": f"Token {inst.manage('create_token', 'admin').stdout.split()[-1]}"}
    inst.plain = {"Authorization": f"Token {inst.manage('create_token', 'plain').stdout.split()[-1]}"}
    inst.start_worker()
    with serve(config, workers=1, env=inst.env) as base:
        inst.base = base
        wait_until(lambda: inst.api("GET", "extras/jobs/").status_code == 200, timeout=60)
        yield inst
    inst.stop_worker()


def future(seconds):
    return (datetime.now(timezone.utc) + timedelta(seconds=seconds)).isoformat()


def test_a_background_run_answers_202_pending_and_the_worker_runs_it(instance):
    answer = instance.run("local/bg/Nap", {"data": {"seconds": 1}, "background": True})
    assert answer.status_code == 202, answer.text
    queued = answer.json()
    assert queued["status"]["value"] == "pending" and queued["started"] is None and queued["task_id"]
    result, seen = instance.wait_for(queued["id"], {"completed", "errored", "failed"})
    assert seen[-2:] == ["running", "completed"], seen
    assert result["output"] == str(instance.worker.pid) == str(result["pid"])
    assert result["user"]["username"] == "admin"


def test_a_background_run_commits_as_asked_and_synchronous_stays_the_default(instance):
    now = instance.run("local/bg/MakeSite", {"data": {"site_name": "now"}, "commit": True})
    assert now.status_code == 201 and now.json()["status"]["value"] == "completed"
    assert now.json()["pid"] != instance.worker.pid
    answer = instance.run("bg.MakeSite", {"data": {"site_name": "later"}, "commit": True, "background": True})
    assert answer.status_code == 202, answer.text
    result, _ = instance.wait_for(answer.json()["id"], {"completed", "errored", "failed"})
    assert result["status"]["value"] == "completed", result["traceback"]
    assert [entry["message"] for entry in result["log"]] == ["made later"]
    sites = instance.api("GET", "dcim/sites/?slug=later").json()
    assert sites["count"] == 1
    dry = instance.run("bg.MakeSite", {"data": {"site_name": "dry"}, "background": "true"})  # commit_default False
    result, _ = instance.wait_for(dry.json()["id"], {"completed", "errored", "failed"})
    assert result["commit"] is False and "Database changes have been reverted" in result["log"][-1]["message"]
    assert instance.api("GET", "dcim/sites/?slug=dry").json()["count"] == 0


def test_schedule_at_waits_until_then(instance):
    when = future(3)
    answer = instance.run("local/bg/Nap", {"data": {"seconds": 0}, "schedule_at": when})
    assert answer.status_code == 202, answer.text
    queued = answer.json()
    assert queued["status"]["value"] == "scheduled"
    assert datetime.fromisoformat(queued["scheduled"]) == datetime.fromisoformat(when)
    time.sleep(1.5)
    assert instance.result(queued["id"])["status"]["value"] == "scheduled"
    result, _ = instance.wait_for(queued["id"], {"completed", "errored", "failed"})
    assert datetime.fromisoformat(result["started"]) >= datetime.fromisoformat(when)


def test_an_interval_runs_now_and_queues_the_next_run_that_many_minutes_later(instance):
    answer = instance.run("local/bg/Nap", {"data": {"seconds": 0}, "interval": 2})
    assert answer.status_code == 202, answer.text
    first, _ = instance.wait_for(answer.json()["id"], {"completed"})
    assert first["interval"] == 2

    def following():
        later = [r for r in instance.results() if r["interval"] == 2 and r["id"] > first["id"]]
        return later[0] if later else None

    deadline = time.monotonic() + 10
    while following() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    nxt = following()
    assert nxt is not None, "the next run was not queued"
    assert nxt["status"]["value"] == "scheduled" and nxt["data"] == {"seconds": 0}
    due = datetime.fromisoformat(nxt["scheduled"]) - datetime.fromisoformat(first["started"])
    assert due == timedelta(minutes=2)


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"schedule_at": "2020-01-01T00:00:00Z"}, "schedule_at", "Scheduled time must be in the future."),
    ({"schedule_at": "tomorrow"}, "schedule_at", "Enter a valid date/time."),
    ({"schedule_at": 1767225600}, "schedule_at", "Enter a date and time as ISO 8601 text"),
    ({"interval": 0}, "interval", "Ensure this value is greater than or equal to 1."),
    ({"interval": 1.5}, "interval", "Enter a whole number."),
    ({"interval": [5]}, "interval", "Enter a whole number."),
    ({"background": "maybe"}, "background", "Must be true or false."),
])
def test_bad_options_are_a_400_naming_the_option_and_nothing_is_queued(instance, body, field, message):
    before = len(instance.results())
    answer = instance.run("local/bg/Nap", {"data": {"seconds": 0}, **body})
    assert answer.status_code == 400, answer.text
    assert answer.json()[field][0].startswith(message), answer.json()
    assert len(instance.results()) == before


def test_bad_input_and_file_variables_are_refused_before_anything_is_queued(instance):
    before = len(instance.results())
    bad = instance.run("local/bg/Nap", {"data": {"seconds": "many"}, "background": True})
    assert bad.status_code == 400 and bad.json() == {"data": {"seconds": ["Enter a whole number."]}}
    upload = instance.run("local/bg/Upload", {"background": True})
    assert upload.status_code == 400
    assert upload.json() == {"background": ["A job with a file variable (upload) runs only now, "
                                            "not in the background."]}
    assert len(instance.results()) == before


def test_a_background_run_needs_the_run_permission(instance):
    answer = instance.run("local/bg/Nap", {"background": True}, headers=instance.plain)
    assert answer.status_code == 403
    assert "netbox_userscripts.run_job" in answer.json()["detail"]


def _login(instance):
    session = requests.Session()
    session.get(f"{instance.base}/login/", timeout=10)
    answer = session.post(f"{instance.base}/login/", timeout=10, data={
        "username": "admin", "password": "admin-pass", "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert answer.ok
    return session


def test_the_job_page_form_queues_and_schedules(instance):
    session = _login(instance)
    page = session.get(f"{instance.base}/jobs/local/bg/Nap/", timeout=10).text
    assert "Run in the background" in page and "Schedule at" in page and "Recurs every" in page
    assert re.search(r'name="_schedule_at"', page) and re.search(r'type="number" name="_interval"', page)
    token = session.cookies["csrftoken"]
    past = session.post(f"{instance.base}/jobs/local/bg/Nap/", timeout=10, data={
        "seconds": "0", "_schedule_at": "2020-01-01 00:00", "csrfmiddlewaretoken": token})
    assert past.status_code == 200 and "Scheduled time must be in the future." in past.text
    answer = session.post(f"{instance.base}/jobs/local/bg/Nap/", timeout=10, allow_redirects=False, data={
        "seconds": "2", "_background": "on", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    pk = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    shown = session.get(f"{instance.base}/jobs/results/{pk}/", timeout=10).text
    assert 'http-equiv="refresh"' in shown  # the page follows the run until it ends
    result, _ = instance.wait_for(pk, {"completed", "errored", "failed"})
    assert result["status"]["value"] == "completed" and result["output"] == str(instance.worker.pid)
    done = session.get(f"{instance.base}/jobs/results/{pk}/", timeout=10).text
    assert 'http-equiv="refresh"' not in done and ">Completed<" in done
    when = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")  # as datetime-local sends
    later = session.post(f"{instance.base}/jobs/local/bg/Nap/", timeout=10, data={
        "seconds": "0", "_schedule_at": when, "_interval": "30", "csrfmiddlewaretoken": token})
    assert ">Scheduled<" in later.text and "Recurs every" in later.text and "30 minutes" in later.text


def test_runjob_background_queues_and_the_worker_runs_it(instance):
    queued = instance.manage("runjob", "--background", "--commit", "--username", "admin",
                             "--data", '{"site_name": "from-cli"}', "local/bg/MakeSite")
    match = re.search(r"job result #(\d+), pending", queued.stdout)
    assert match, queued.stdout
    result, _ = instance.wait_for(int(match[1]), {"completed", "errored", "failed"})
    assert result["status"]["value"] == "completed" and result["commit"] is True
    assert result["output"] == str(instance.worker.pid)
    scheduled = instance.manage("runjob", "--schedule-at", future(3600), "--interval", "60", "bg.Nap")
    assert re.search(r"job result #\d+, scheduled at .*, then every 60 min", scheduled.stdout), scheduled.stdout


@pytest.mark.parametrize(("options", "message"), [
    (["--schedule-at", "2020-01-01T00:00:00Z"], "--schedule-at: Scheduled time must be in the future."),
    (["--interval", "0"], "--interval: Ensure this value is greater than or equal to 1."),
    (["--background"], "--background: A job with a file variable (upload) runs only now"),
])
def test_runjob_refuses_bad_options_with_exit_code_2(instance, options, message):
    job = "local/bg/Upload" if options == ["--background"] else "local/bg/Nap"
    data = ["--data", '{"upload": "/etc/hostname"}'] if job.endswith("Upload") else []
    answer = instance.manage("runjob", *options, *data, job, check=False)
    assert answer.returncode == 2 and message in answer.stderr, answer.stderr


def test_a_queued_job_whose_module_was_deleted_ends_errored_saying_so(instance):
    write_atomically(instance.root / "gone.py", GONE)
    deadline = time.monotonic() + 10
    while instance.run("local/gone/Gone", {"schedule_at": future(2.5)}).status_code != 202:
        assert time.monotonic() < deadline, "gone.py was not loaded"
        time.sleep(0.2)
    pk = max(r["id"] for r in instance.results() if r["job_name"] == "gone.Gone")
    (instance.root / "gone.py").unlink()
    result, _ = instance.wait_for(pk, {"completed", "errored", "failed"})
    assert result["status"]["value"] == "errored"
    assert "No job 'gone.Gone' is loaded" in result["traceback"]
    assert "No job 'gone.Gone' is loaded" in (instance.tmp / "u.log").read_text()


def test_a_killed_worker_leaves_its_background_job_errored(instance):
    answer = instance.run("local/bg/Nap", {"data": {"seconds": 60}, "background": True})
    pk = answer.json()["id"]
    instance.wait_for(pk, {"running"})
    instance.stop_worker(signal.SIGKILL)
    instance.start_worker()
    result, _ = instance.wait_for(pk, {"errored", "failed", "completed"})
    assert result["status"]["value"] == "errored"
    assert "ended before it finished" in result["traceback"]


def test_runjob_background_of_an_unknown_job_exits_2(instance):
    answer = instance.manage("runjob", "--background", "local/bg/Missing", check=False)
    assert answer.returncode == 2 and "No job 'local/bg/Missing' is loaded" in answer.stderr


# The queue's rules, in this process ----------------------------------------------------------------


@pytest.fixture
def nap_result(db):
    return JobResult.objects.create(class_path="local/bg/Nap", job_name="bg.Nap", status="scheduled",
                                    data={"seconds": 0}, interval=3)


def test_a_recurring_run_missed_while_no_worker_ran_is_skipped_not_caught_up(nap_result):
    nap_result.scheduled = django_timezone.now() - timedelta(minutes=10)
    following = queue_next(nap_result)
    ahead = following.scheduled - django_timezone.now()
    assert timedelta(0) < ahead <= timedelta(minutes=3)
    assert (following.scheduled - nap_result.scheduled) % timedelta(minutes=3) == timedelta(0)
    assert following.status == "scheduled" and following.interval == 3 and following.task_id


def test_a_deleted_or_already_claimed_result_is_not_run(nap_result):
    JobResult.objects.filter(pk=nap_result.pk).update(status="running")
    assert run_queued.call(nap_result.pk) is None
    assert JobResult.objects.get(pk=nap_result.pk).started is None  # untouched: another worker has it
    nap_result.delete()  # cancelled
    assert run_queued.call(nap_result.pk) is None
    assert not JobResult.objects.filter(interval=3).exists()  # and its recurrence with it
