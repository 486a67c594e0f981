"""Hot reload with a real observer on a temporary folder."""
import os
import sys
import threading
import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from netbox_userscripts.loading import reloader as reloader_module
from netbox_userscripts.loading.registry import registry

VERSIONED = """
import sys
from django.contrib.auth.models import Group
from django.test import Client
from netbox_userscripts.signals import post_save

def saved(sender, instance, **kwargs):
    sys._reload_calls.append({version})

post_save.connect(saved, sender=Group)

def call(**kwargs):
    return "version {version}"
"""


def wait_for(condition, timeout=3.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


@pytest.fixture(params=["inotify", "polling"])
def watched(request, userscripts):
    userscripts.load()
    watcher = reloader_module.Reloader(registry, userscripts.root, polling=request.param == "polling").start()
    assert watcher.kind == request.param
    sys._reload_calls = []
    yield userscripts
    watcher.stop()
    del sys._reload_calls


def call_result(name):
    call = registry.callable(name)
    return call() if call else None


@pytest.mark.django_db(transaction=True)
def test_new_edited_broken_fixed_and_deleted(watched):
    path = watched.write("live.py", VERSIONED.format(version=1))
    assert wait_for(lambda: call_result("live") == "version 1", timeout=1.0)
    Group.objects.create(name="a")
    assert sys._reload_calls == [1]

    watched.write("live.py", VERSIONED.format(version=2))
    assert wait_for(lambda: call_result("live") == "version 2", timeout=1.0)
    Group.objects.create(name="b")
    assert sys._reload_calls == [1, 2]  # the old receiver is no longer called

    watched.write("live.py", "def call(:\n")
    assert wait_for(lambda: registry.failure("live") is not None)
    assert call_result("live") == "version 2"
    assert registry.describe()[0]["pending_error"].startswith("SyntaxError")

    watched.write("live.py", VERSIONED.format(version=3))
    assert wait_for(lambda: call_result("live") == "version 3")
    assert registry.failure("live") is None
    Group.objects.create(name="v3")

    path.unlink()
    assert wait_for(lambda: registry.get("live") is None)
    Group.objects.create(name="c")
    assert sys._reload_calls == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_atomic_save_by_rename_is_seen_once(watched):
    watched.write("atomic.py", VERSIONED.format(version=1))
    assert wait_for(lambda: call_result("atomic") == "version 1")
    watcher = reloader_module  # noqa: F841
    tmp = watched.root / ".atomic.py.tmp"
    tmp.write_text(VERSIONED.format(version=2))
    os.replace(tmp, watched.root / "atomic.py")
    assert wait_for(lambda: call_result("atomic") == "version 2")
    Group.objects.create(name="x")
    assert sys._reload_calls == [2]


@pytest.mark.django_db(transaction=True)
def test_fifty_rapid_edits_end_with_the_last_and_one_receiver(watched):
    for version in range(50):
        watched.write("rapid.py", VERSIONED.format(version=version))
    assert wait_for(lambda: call_result("rapid") == "version 49")
    time.sleep(0.4)  # let any late event settle
    Group.objects.create(name="once")
    assert sys._reload_calls == [49]


@pytest.mark.django_db(transaction=True)
def test_helper_package_change_reloads_its_users(watched):
    watched.write("helpers/__init__.py", "")
    watched.write("helpers/answer.py", "VALUE = 'first'\n")
    watched.write("user.py", "from .helpers.answer import VALUE\ndef call(**kw):\n    return VALUE\n")
    assert wait_for(lambda: call_result("user") == "first")
    watched.write("helpers/answer.py", "VALUE = 'second'\n")
    assert wait_for(lambda: call_result("user") == "second")


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_during_rewrites_see_one_version(userscripts, settings):
    """Requests to /userscript/ from threads while the file is replaced 100 times."""
    settings.LOGIN_REQUIRED = False
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["swap"]
    userscripts.write("swap.py", "def call(**kw):\n    return 'A' * 1000\n")
    userscripts.load()
    watcher = reloader_module.Reloader(registry, userscripts.root).start()
    statuses, bodies, stop = [], set(), threading.Event()

    def hammer():
        client = Client()
        while not stop.is_set():
            response = client.get("/userscript/?script=swap")
            statuses.append(response.status_code)
            bodies.add(response.content)
            time.sleep(0.001)  # let the writer and the watcher run too

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    try:
        for t in threads:
            t.start()
        for i in range(100):
            letter = "AB"[i % 2]
            tmp = userscripts.root / ".swap.py.tmp"  # as editors save: write a temporary file, rename it over
            tmp.write_text(f"def call(**kw):\n    return '{letter}' * 1000\n")
            os.replace(tmp, userscripts.root / "swap.py")
            time.sleep(0.01)
        assert wait_for(lambda: registry.callable("swap")() == "B" * 1000)
        # the watcher may coalesce the rewrites into the last one: the hammers' next calls see it (CI under load)
        assert wait_for(lambda: b"B" * 1000 in bodies)
    finally:
        stop.set()
        for t in threads:
            t.join()
        watcher.stop()
    assert len(statuses) > 100
    assert set(statuses) == {200}
    assert bodies == {b"A" * 1000, b"B" * 1000}


def test_watcher_not_started_by_commands_or_tests(monkeypatch):
    monkeypatch.delenv("USERSCRIPTS_WATCH", raising=False)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    assert reloader_module.current() is None
    assert not reloader_module.is_serving_process(["manage.py", "migrate"])
    assert not reloader_module.is_serving_process(["manage.py", "runserver"])  # the autoreloader's parent
    assert reloader_module.is_serving_process(["manage.py", "runserver", "--noreload"])
    monkeypatch.setenv("RUN_MAIN", "true")
    assert reloader_module.is_serving_process(["manage.py", "runserver"])


def test_runserver_does_not_restart_for_userscripts(settings, tmp_path):
    settings.USERSCRIPTS_ROOT = str(tmp_path)
    assert reloader_module.ignore_in_django_autoreload(None, tmp_path / "x.py") is True
    assert reloader_module.ignore_in_django_autoreload(None, tmp_path.parent / "settings.py") is None
