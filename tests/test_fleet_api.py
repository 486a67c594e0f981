"""The sync and process endpoints and ``userscripts --processes``: who may use them, what they show."""
import io
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.fleet.models import SyncedVersion, UserscriptProcess
from netbox_userscripts.fleet.processes import CHECK_EVERY, Heartbeat, role_from_argv
from tests.gitrepo import GitRepo

pytestmark = pytest.mark.django_db


@pytest.fixture
def repo(tmp_path, userscripts, settings):
    repo = GitRepo(tmp_path / "origin")
    settings.USERSCRIPTS_GIT = {"url": str(repo.path), "branch": "main"}
    convergence.commit = ""
    yield repo
    convergence.commit = ""


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_sync_over_the_api_records_the_commit(client, superuser, token_for, repo):
    sha = repo.commit({"hello.py": "def call(**kw):\n    return 'v1'\n"})
    response = client.post("/api/userscripts/sync/", **auth(token_for(superuser)))
    assert response.status_code == 200, response.content
    assert response.json()["commit"] == sha and response.json()["changed"] is True
    assert SyncedVersion.objects.get(source="git").commit == sha


def test_a_failed_sync_answers_502_with_the_reason(client, superuser, token_for, repo, settings):
    repo.commit({"hello.py": "x = 1\n"})
    settings.USERSCRIPTS_GIT = {**settings.USERSCRIPTS_GIT, "branch": "release"}
    response = client.post("/api/userscripts/sync/", **auth(token_for(superuser)))
    assert response.status_code == 502
    assert "has no branch 'release'" in response.json()["message"]


def test_without_git_a_sync_is_a_400(client, superuser, token_for, userscripts):
    response = client.post("/api/userscripts/sync/", **auth(token_for(superuser)))
    assert response.status_code == 400 and "USERSCRIPTS_GIT is not set" in response.json()["message"]


def test_a_sync_needs_its_permission_even_without_login_required(client, django_user_model, token_for, repo,
                                                                 settings):
    settings.LOGIN_REQUIRED = False
    repo.commit({"hello.py": "x = 1\n"})
    assert client.post("/api/userscripts/sync/").status_code in (401, 403)
    assert client.get("/api/userscripts/processes/").status_code in (401, 403)
    user = django_user_model.objects.create_user("operator", password="x", is_staff=True)
    key = token_for(user)
    assert client.post("/api/userscripts/sync/", **auth(key)).status_code == 403
    assert client.get("/api/userscripts/processes/", **auth(key)).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="sync_userscripts"),
                              Permission.objects.get(codename="view_userscriptprocess"))
    assert client.post("/api/userscripts/sync/", **auth(key)).status_code == 200
    assert client.get("/api/userscripts/processes/", **auth(key)).status_code == 200
    assert not SyncedVersion.objects.filter(commit="").exists()


def test_the_process_table_shows_live_gone_and_other_versions(client, superuser, token_for, repo):
    sha = repo.commit({"hello.py": "x = 1\n"})
    key = token_for(superuser)
    client.post("/api/userscripts/sync/", **auth(key))
    convergence.ensure_current()
    me = Heartbeat("web")
    me.write()
    old = timezone.now() - timedelta(seconds=60)
    UserscriptProcess.objects.create(hostname="host-b", pid=42, role="rqworker", started=old, last_seen=old,
                                     version="0123456789ab", loaded=["hello"])
    table = client.get("/api/userscripts/processes/", **auth(key)).json()
    assert table["recorded"] == sha and table["count"] == 2
    rows = {row["hostname"]: row for row in table["results"]}
    mine = rows[me.hostname]
    assert (mine["pid"], mine["role"], mine["state"], mine["version"], mine["mismatch"]) == (
        me.pid, "web", "live", sha, False)
    assert mine["loaded"] == ["hello"] and mine["failed"] == []
    assert rows["host-b"]["state"] == "gone" and rows["host-b"]["mismatch"] is True
    out = io.StringIO()
    call_command("userscripts", "--processes", stdout=out)
    text = out.getvalue()
    assert f"recorded version: {sha[:12]}" in text
    assert "host-b  pid 42  rqworker" in text and "gone OTHER VERSION" in text
    assert f"pid {me.pid}  web" in text
    ancient = timezone.now() - timedelta(hours=1)
    UserscriptProcess.objects.filter(hostname="host-b").update(last_seen=ancient)
    me.write()  # a refresh removes the rows not seen for ten minutes
    assert not UserscriptProcess.objects.filter(hostname="host-b").exists()
    me.stop()
    assert not UserscriptProcess.objects.filter(pid=me.pid, hostname=me.hostname).exists()


def test_a_plain_folder_records_the_hash_of_its_files(userscripts):
    userscripts.load_module("one", "X = 1\n")
    first = convergence.version
    assert first.startswith("folder:")
    userscripts.load_module("one", "X = 2\n")
    assert convergence.version != first


@pytest.mark.parametrize("argv, env, role", [
    (["manage.py", "runjob", "local/a/B"], {}, "command"),
    (["manage.py", "userscripts_worker"], {}, "worker"),
    (["manage.py", "rqworker"], {}, "rqworker"),
    (["/venv/bin/gunicorn", "netbox.wsgi"], {}, "web"),
    (["manage.py", "runserver", "--noreload"], {}, "web"),
    (["manage.py", "migrate"], {}, None),
    (["manage.py", "migrate"], {"USERSCRIPTS_PROCESS_ROLE": "worker"}, "worker"),
])
def test_the_role_comes_from_the_command(argv, env, role, monkeypatch):
    monkeypatch.delenv("USERSCRIPTS_WATCH", raising=False)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert role_from_argv(argv) == role


def test_the_page_shows_the_process_table(client, superuser):
    Heartbeat("worker").write()
    client.force_login(superuser)
    page = client.get("/userscripts/").content.decode()
    assert 'id="processes"' in page and "<td>worker</td>" in page


@pytest.mark.django_db(transaction=True)
def test_a_wrong_origin_setting_is_logged_once_and_the_row_still_written(settings, userscripts, caplog):
    settings.USERSCRIPTS_DATA_SOURCE = "userscripts"  # a NetBox data source, outside NetBox
    me = Heartbeat("command").start()
    try:
        deadline = time.monotonic() + 10
        while not UserscriptProcess.objects.filter(pid=me.pid, role="command").exists():
            assert time.monotonic() < deadline, "the heartbeat wrote no row"
            time.sleep(0.1)
        time.sleep(CHECK_EVERY * 1.5)  # one more check, not one more line
    finally:
        me.stop()
    said = [r.getMessage() for r in caplog.records if "USERSCRIPTS_DATA_SOURCE names a NetBox data source" in
            r.getMessage()]
    assert len(said) == 1, said
