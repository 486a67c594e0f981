"""``netbox_userscripts.tasks`` in process: the decorator, JSON arguments, enqueue at commit, the run list."""
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dcim.models import Site
from netbox_userscripts.fleet.models import UserscriptProcess
from netbox_userscripts.fleet.processes import GONE_AFTER
from netbox_userscripts.tasks import Task, TaskResultStatus, UserscriptTask, outbox, task
from netbox_userscripts.tasks.worker import sweep_lost
from netbox_userscripts.tasks.workerid import parse as parse_worker

SCRIPT = """
from netbox_userscripts.tasks import task


@task
def push_config(device_id, options=None):
    return device_id


@task(backend="dummy")
def elsewhere(n):
    return n
"""

TASKS = {
    "default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend"},
    "dummy": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


@pytest.fixture
def module(userscripts, settings, db):
    settings.TASKS = TASKS
    return userscripts.load_module("pushes", SCRIPT)


def test_the_decorator_makes_a_django_task_named_by_its_module(module):
    assert isinstance(module.push_config, Task) and isinstance(module.push_config, UserscriptTask)
    assert module.push_config.module_path == "userscripts.pushes.push_config"
    assert module.push_config.call(5) == 5


def test_using_the_same_values_is_the_task_itself_and_other_values_a_new_one(module):
    push = module.push_config
    assert push.using(priority=push.priority, queue_name=push.queue_name, backend=push.backend) is push
    later = push.using(run_after=timezone.now() + timedelta(minutes=5))
    assert later is not push and isinstance(later, UserscriptTask) and later.run_after > timezone.now()
    assert (later.func, later.max_attempts, later.schedule) == (push.func, push.max_attempts, push.schedule)
    assert DBTaskResult.objects.get(pk=push.enqueue(1).id).task_result.task is push  # the run's stored values


def test_a_model_instance_argument_is_refused_naming_the_argument(module):
    site = Site.objects.create(name="S", slug="s")
    with pytest.raises(TypeError, match=r"push_config.enqueue\(\): argument 'device_id' is a Site, which is not JSON"):
        module.push_config.enqueue(device_id=site)
    with pytest.raises(TypeError, match=r"argument 2 is a set"):
        module.push_config.enqueue(1, {1, 2})
    assert not DBTaskResult.objects.exists()  # nothing queued


def test_enqueue_in_a_rolled_back_transaction_leaves_nothing(module):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            module.push_config.enqueue(device_id=1)
            raise RuntimeError("veto")
    module.push_config.enqueue(device_id=2)
    assert [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.all()] == [{"device_id": 2}]


def test_another_backend_gets_the_task_at_commit_only(module, django_capture_on_commit_callbacks):
    backend = module.elsewhere.get_backend()
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert module.elsewhere.enqueue(n=1) is None
            assert backend.results == []  # not before the commit
    assert [r.kwargs for r in backend.results] == [{"n": 1}]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            module.elsewhere.enqueue(n=2)
            raise RuntimeError("veto")
    assert callbacks == [] and len(backend.results) == 1


def test_the_api_lists_runs_by_script_and_status(module, client, superuser):
    module.push_config.enqueue(device_id=7)
    DBTaskResult.objects.create(task_path="userscripts.other.f", args_kwargs={"args": [], "kwargs": {}},
                                backend_name="default", status="FAILED", traceback="Traceback\nValueError: no\n")
    assert client.get("/api/userscripts/tasks/").status_code in (401, 403)
    client.force_login(superuser)
    rows = client.get("/api/userscripts/tasks/").json()["results"]
    assert {r["task"] for r in rows} == {"pushes.push_config", "other.f"}
    queued = client.get("/api/userscripts/tasks/?script=pushes&status=queued").json()["results"]
    expected = [("pushes.push_config", "queued", {"device_id": 7})]
    assert [(r["task"], r["status"], r["kwargs"]) for r in queued] == expected
    failed = client.get("/api/userscripts/tasks/?status=failed").json()["results"]
    assert [(r["task"], r["error"]) for r in failed] == [("other.f", "ValueError: no")]
    bad = client.get("/api/userscripts/tasks/?status=done")
    assert bad.status_code == 400
    assert bad.json() == {"status": ["'done' is not a task status (one of queued, running, succeeded, failed)."]}


def test_the_command_prints_runs_and_refuses_an_unknown_status(module, capsys):
    module.push_config.enqueue(device_id=3)
    call_command("userscripts", "--tasks")
    assert "pushes.push_config  queued" in capsys.readouterr().out
    with pytest.raises(CommandError, match="'later' is not a task status"):
        call_command("userscripts", "--tasks", "--status", "later")


def test_the_page_shows_schedules_and_runs(userscripts, settings, db, client, superuser):
    settings.TASKS = TASKS
    module = userscripts.load_module("nightly", """
        from netbox_userscripts.tasks import task


        @task(cron="0 3 * * *")
        def backup():
            return "ok"
    """)
    module.backup.enqueue()
    client.force_login(superuser)
    page = client.get("/userscripts/").content.decode()
    assert "<td>nightly.backup</td><td>cron 0 3 * * *</td>" in page
    assert "<td>nightly.backup</td><td><span class=\"state-queued\">queued</span></td>" in page


@pytest.mark.parametrize("options, message", [
    ({"max_attempts": 0}, r"max_attempts=\.\.\.\) must be a whole number of 1 or more, got 0"),
    ({"max_attempts": "3"}, r"got '3'"),
    ({"backoff": 10}, r"backoff=\.\.\.\) must be a datetime.timedelta of 0 or more, got 10"),
])
def test_wrong_retry_options_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        task(**options)


def test_a_run_of_a_worker_gone_from_another_host_ends_worker_lost(module):
    """Another host's worker: lost once the process table has not seen it for GONE_AFTER seconds."""
    now = timezone.now()
    stale, fresh = now - timedelta(seconds=GONE_AFTER + 5), now - timedelta(seconds=1)
    for pid, seen in ((101, stale), (102, fresh)):
        UserscriptProcess.objects.create(hostname="worker-host-b.example.net", pid=pid, role="worker",
                                         started=stale, last_seen=seen)
    runs = {}
    for pid in (101, 102, 103):  # 103: never in the table, started long ago
        result = module.push_config.enqueue(device_id=pid)
        DBTaskResult.objects.filter(pk=result.id).update(
            status=TaskResultStatus.RUNNING, started_at=stale, worker_ids=[f"worker-host-b.example.net:{pid}"])
        runs[pid] = result.id
    assert sweep_lost(host="worker-host-a") == 2
    statuses = {pid: DBTaskResult.objects.get(pk=run).status for pid, run in runs.items()}
    assert statuses == {101: "FAILED", 102: "RUNNING", 103: "FAILED"}
    assert "worker lost: worker-host-b.example.net:101" in DBTaskResult.objects.get(pk=runs[101]).traceback


def test_a_run_of_another_host_whose_pid_a_later_process_took_ends_worker_lost(module):
    """A container restarted with the same host name: its new worker has the old pid, but started after the run."""
    now = timezone.now()
    run_start = now - timedelta(seconds=GONE_AFTER + 60)
    UserscriptProcess.objects.create(hostname="worker-host-b", pid=200, role="worker",
                                     started=run_start + timedelta(seconds=30), last_seen=now)  # fresh, but later
    result = module.push_config.enqueue(device_id=200)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=run_start, worker_ids=["worker-host-b:200@5000"])
    assert sweep_lost(host="worker-host-a") == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "FAILED"


def test_find_task_gives_the_version_in_use_or_says_why_not(module, userscripts):
    from netbox_userscripts.tasks.lookup import find_task, missing_reason

    assert find_task("userscripts.pushes.push_config") is module.push_config
    assert missing_reason("userscripts.pushes.push_config") is None
    assert missing_reason("django.contrib.auth.somewhere") is None  # not ours: its backend finds it
    for path, message in [
        ("userscripts.pushes.nothing", "userscript pushes defines no task nothing (it was removed or renamed)."),
        ("userscripts.ghost.push", "userscript ghost is not loaded: ghost.py no longer exists in "),
        ("somewhere.else", "somewhere.else is not a userscript's task (userscripts.MODULE.FUNCTION)."),
    ]:
        with pytest.raises(LookupError) as raised:
            find_task(path)
        assert str(raised.value).startswith(message)
    userscripts.write("broken.py", "raise RuntimeError('at import')\n")
    userscripts.load()
    assert missing_reason("userscripts.broken.f").startswith("userscript broken failed to load: ")


@pytest.mark.parametrize("text, expected", [
    ("web-1:4242@987654", ("web-1", 4242, 987654, "web-1:4242")),
    ("web-1:4242", ("web-1", 4242, None, "web-1:4242")),  # recorded before the start was
    ("a:b:7@1", ("a:b", 7, 1, "a:b:7")),
])
def test_a_worker_id_names_host_pid_and_start(text, expected):
    worker = parse_worker(text)
    assert (worker.host, worker.pid, worker.start, worker.display) == expected and str(worker) == text


@pytest.mark.parametrize("text", ["", "host", "host:pid", "host:12@", "host:12@x"])
def test_a_worker_id_that_is_none_is_refused(text):
    assert parse_worker(text) is None


# A host's own queue (as NetBox's jobs are for the plugin): this module is its adapter.
ERRORS = (ConnectionError,)
host_queue = {"down": False, "taken": []}


def hand_off(backend, row):
    if host_queue["down"]:
        raise ConnectionError("the queue is down")
    host_queue["taken"].append(row.args_kwargs["kwargs"]["n"])


def test_a_host_queue_gets_its_rows_after_the_commit_and_from_the_heartbeat_until_it_takes_them(
        db, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setitem(outbox.host_queues, "host.jobs", __name__)
    monkeypatch.setattr(outbox, "PAUSE", 0)
    host_queue.update(down=True, taken=[])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.record(outbox.rows()(id="job-1", backend="host.jobs", task_path="host.Runner", queue_name="default",
                                    args_kwargs={"args": [], "kwargs": {"n": 1}}, enqueued_at=timezone.now()))
    waiting, = outbox.rows().objects.all()
    assert (host_queue["taken"], waiting.last_error) == ([], "ConnectionError: the queue is down")
    host_queue["down"] = False
    assert outbox.hand_over_waiting() == 1  # the heartbeat's chore
    assert host_queue["taken"] == [1] and not outbox.rows().objects.exists()
    assert outbox.hand_over_waiting() == 0
