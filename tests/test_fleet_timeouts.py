"""A repository that accepts and never answers: every sync ends with the timeout's message, no process hangs.

``USERSCRIPTS_GIT["timeout"]`` bounds a fetch; the API answers 502 and ``userscripts_sync``
exits 1 with one line in about that time, and a process whose interval sync waits on such a
server keeps its row in the process table fresh (the sync runs beside the heartbeat).
"""
import sqlite3
import subprocess
import threading
import time
from wsgiref.simple_server import make_server

import pytest
from dulwich.repo import Repo
from dulwich.server import DictBackend
from dulwich.web import WSGIRequestHandlerLogger, make_wsgi_chain

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.fleet.gitconf import git_source
from netbox_userscripts.fleet.intervalsync import interval_sync
from netbox_userscripts.fleet.models import SyncedVersion
from netbox_userscripts.fleet.sync import sync
from tests.gitrepo import GitRepo
from tests.gunicorn import write_configuration
from tests.project import MANAGE, PROJECT, environment
from tests.stallserver import stalling_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalled(userscripts, settings):
    with stalling_server() as (url, accepted):
        settings.USERSCRIPTS_GIT = {"url": url, "branch": "main", "timeout": 1}
        convergence.commit = ""
        yield url, accepted
        convergence.commit = ""


def test_the_sync_api_answers_with_the_timeout_in_bounded_time(client, superuser, token_for, stalled):
    url, accepted = stalled
    begun = time.monotonic()
    response = client.post("/api/userscripts/sync/", HTTP_AUTHORIZATION=f"Token {token_for(superuser)}")
    assert time.monotonic() - begun < 5
    assert response.status_code == 502
    assert f"cannot fetch {url}: no answer within 1 s (USERSCRIPTS_GIT timeout)" in response.json()["message"]
    assert accepted, "the fetch never reached the server"
    row = SyncedVersion.objects.get(source="git")
    assert row.commit == "" and "no answer within 1 s" in row.error


def test_the_command_exits_1_with_one_line(tmp_path):
    with stalling_server() as (url, _):
        config = write_configuration(tmp_path, tmp_path / "userscripts",
                                     extra=f"USERSCRIPTS_GIT = {{'url': {url!r}, 'timeout': 1}}\n")
        (tmp_path / "userscripts").mkdir()
        env = environment(config)
        assert subprocess.run([*MANAGE, "migrate", "--no-input"], cwd=PROJECT, env=env, capture_output=True,
                              timeout=120).returncode == 0
        begun = time.monotonic()
        done = subprocess.run([*MANAGE, "userscripts_sync"], cwd=PROJECT, env=env, capture_output=True, text=True,
                              timeout=60)
        took = time.monotonic() - begun
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"userscripts_sync: sync of {url} main failed, no version recorded yet: cannot fetch {url}: "
        "no answer within 1 s (USERSCRIPTS_GIT timeout)"]
    assert took < 30  # the process's start-up included; the fetch itself gave up after 1 s


def test_a_process_stays_fresh_while_its_interval_sync_waits(tmp_path):
    with stalling_server() as (url, accepted):
        (tmp_path / "userscripts").mkdir()
        config = write_configuration(
            tmp_path, tmp_path / "userscripts",
            extra=f"USERSCRIPTS_GIT = {{'url': {url!r}, 'interval': 1, 'timeout': 30}}\n")
        env = environment(config)
        assert subprocess.run([*MANAGE, "migrate", "--no-input"], cwd=PROJECT, env=env, capture_output=True,
                              timeout=120).returncode == 0
        worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.5", "--no-scheduler"], cwd=PROJECT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            seen = last_seen_while_stalled(tmp_path / "db.sqlite3", worker.pid, accepted)
        finally:
            worker.terminate()
            worker.wait(timeout=15)
    assert len(set(seen)) >= 3, f"the heartbeat stopped while the sync waited: {seen}"


def last_seen_while_stalled(database, pid, accepted, seconds=10):
    """The worker's ``last_seen`` read every second for ``seconds`` once its sync is waiting on the server."""
    deadline = time.monotonic() + 60
    while not accepted and time.monotonic() < deadline:
        time.sleep(0.2)
    assert accepted, "the interval sync never reached the server"
    seen = []
    with sqlite3.connect(database) as db:
        for _ in range(seconds):
            time.sleep(1)
            row = db.execute("SELECT last_seen FROM netbox_userscripts_userscriptprocess WHERE pid = ?",
                             (pid,)).fetchone()
            seen.append(row[0] if row else None)
    assert None not in seen, seen
    return seen


@pytest.mark.parametrize("timeout", [0, -1, "30", True, 3601])
def test_a_wrong_timeout_is_named(timeout):
    with pytest.raises(ConfigurationError, match="USERSCRIPTS_GIT timeout must be a number of seconds"):
        git_source({"url": "x", "timeout": timeout})


def test_the_timeout_defaults_to_30_seconds():
    assert git_source({"url": "x"}).timeout == 30


@pytest.mark.django_db(transaction=True)
def test_a_timed_out_interval_sync_says_so_and_the_next_interval_tries_again(userscripts, settings):
    with stalling_server() as (url, accepted):
        settings.USERSCRIPTS_GIT = {"url": url, "interval": 1, "timeout": 1}
        first = interval_sync.start_if_due()
        assert first is not None and interval_sync.start_if_due() is None  # one at a time
        first.join(10)
        assert "no answer within 1 s (USERSCRIPTS_GIT timeout)" in SyncedVersion.objects.get(source="git").error
        time.sleep(1.1)  # the interval
        second = interval_sync.start_if_due()
        assert second is not None and second is not first
        second.join(10)
        assert len(accepted) == 2


def test_a_fetch_over_http_with_its_timeout_syncs(userscripts, settings, tmp_path):
    """The HTTP client built for the timeout (one try, redirects followed) still fetches a real repository."""
    repo = GitRepo(tmp_path / "origin")
    sha = repo.commit({"hello.py": "def call(**kwargs):\n    return 'v1'\n"})
    app = make_wsgi_chain(DictBackend({"/repo.git": Repo(str(repo.path))}))
    server = make_server("127.0.0.1", 0, app, handler_class=WSGIRequestHandlerLogger)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.USERSCRIPTS_GIT = {"url": f"http://127.0.0.1:{server.server_port}/repo.git", "timeout": 10}
        outcome = sync()
    finally:
        server.shutdown()
        server.server_close()
    assert outcome.ok and outcome.commit == sha, outcome.message
