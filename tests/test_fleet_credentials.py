"""A private repository over HTTP: the credentials reach it, the password reaches nothing else.

The repository is served by ``tests.gitserver`` (dulwich's HTTP server behind basic auth).
Credentials come from ``USERSCRIPTS_GIT``'s keys, a password file, or (old style) the URL;
the command's output, the log, the Redis stream, the sync API, the process API, the page
and the ``SyncedVersion`` row show ``user:***@`` at most.
"""
import io
import os
from contextlib import redirect_stderr

import pytest
import redis
from django.apps import apps
from django.core.management import call_command

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.fleet.gitconf import git_source, redact
from netbox_userscripts.fleet.models import SyncedVersion
from netbox_userscripts.log import central as log
from netbox_userscripts.log import stream as logstream
from tests.gitrepo import GitRepo
from tests.gitserver import GitServer
from tests.redisserver import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.django_db

PASSWORD = "tok-3f9a1c77e2"  # noqa: S105 - the secret these tests hunt for
HELLO = 'def call(**kwargs):\n    return "hello"\n'


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "origin")
    repo.commit({"hello.py": HELLO})
    return repo


@pytest.fixture
def server(repo):
    server = GitServer(repo.path, "alice", PASSWORD)
    yield server
    server.close()


@pytest.fixture
def git(userscripts, settings):
    convergence.commit = ""
    yield settings
    convergence.commit = ""


def run(*command):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        try:
            call_command(*command, stdout=out, stderr=err)
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue() + err.getvalue()


def url_with_password(server):
    return server.url.replace("http://", f"http://alice:{PASSWORD}@")


@pytest.mark.parametrize("given, shown", [
    ("https://alice:tok@git.example.org/team/us.git", "https://alice:***@git.example.org/team/us.git"),
    ("https://alice:t%40k@git.example.org:8443/us.git", "https://alice:***@git.example.org:8443/us.git"),
    ("ssh://git:pw@host/us.git", "ssh://git:***@host/us.git"),
    ("https://alice@git.example.org/us.git", "https://alice@git.example.org/us.git"),
    ("https://git.example.org/us.git", "https://git.example.org/us.git"),
    ("git@github.com:team/us.git", "git@github.com:team/us.git"),
    ("/srv/git/us.git", "/srv/git/us.git"),
    ("http://[bad", "http://[bad"),
])
def test_redact_hides_the_password_and_nothing_else(given, shown):
    assert redact(given) == shown


def test_the_settings_keys_log_in(git, server, repo, central_log):
    git.USERSCRIPTS_GIT = {"url": server.url, "username": "alice", "password": PASSWORD}
    code, output = run("userscripts_sync")
    assert code == 0, output
    assert server.served and SyncedVersion.objects.get(source="git").url == server.url
    assert PASSWORD not in output + central_log.read_text()


def test_a_password_file_logs_in(git, server, tmp_path):
    secret = tmp_path / "git-token"
    secret.write_text(PASSWORD + "\n")
    git.USERSCRIPTS_GIT = {"url": server.url, "username": "alice", "password_file": str(secret)}
    code, output = run("userscripts_sync")
    assert code == 0 and server.served, output


def test_a_wrong_password_is_a_failed_sync_naming_the_credentials(git, server, central_log):
    git.USERSCRIPTS_GIT = {"url": server.url, "username": "alice", "password": "wrong-one"}
    code, output = run("userscripts_sync")
    assert code == 1 and server.refused and not server.served
    assert "check USERSCRIPTS_GIT username and password" in output and "Traceback" not in output
    assert "wrong-one" not in output + central_log.read_text()


def test_a_password_in_the_url_is_shown_nowhere(git, server, client, superuser, token_for, central_log):
    git.USERSCRIPTS_GIT = {"url": url_with_password(server), "branch": "main"}
    shown = server.url.replace("http://", "http://alice:***@")
    code, output = run("userscripts_sync")
    assert code == 0 and server.served, output
    assert shown in output
    headers = {"HTTP_AUTHORIZATION": f"Token {token_for(superuser)}"}
    answers = [client.post("/api/userscripts/sync/", **headers), client.get("/api/userscripts/processes/", **headers)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[1].json()["sync"]["url"] == shown
    client.force_login(superuser)
    page = client.get("/userscripts/").content.decode()
    assert shown in page
    code, table = run("userscripts", "--processes")
    assert shown in table
    row = SyncedVersion.objects.get(source="git")
    assert row.url == shown
    for text in [output, *(a.content.decode() for a in answers), page, table, central_log.read_text(),
                 str(list(SyncedVersion.objects.values()))]:
        assert PASSWORD not in text


def test_a_failed_sync_with_a_password_in_the_url_hides_it(git, server, client, superuser, token_for, central_log):
    git.USERSCRIPTS_GIT = {"url": url_with_password(server), "branch": "nope"}
    answer = client.post("/api/userscripts/sync/", HTTP_AUTHORIZATION=f"Token {token_for(superuser)}")
    assert answer.status_code == 502 and "alice:***@" in answer.json()["message"]
    error = SyncedVersion.objects.get(source="git").error
    assert "has no branch 'nope'" in error
    assert PASSWORD not in answer.content.decode() + error + central_log.read_text()


@pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server is not installed")
def test_the_stream_never_carries_the_password(git, server, tmp_path_factory, central_log):
    redis_server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    try:
        git.USERSCRIPTS_LOG_STREAM = redis_server.url
        log.configure(filename=str(central_log))
        git.USERSCRIPTS_GIT = {"url": url_with_password(server)}
        assert run("userscripts_sync")[0] == 0
        git.USERSCRIPTS_GIT = {"url": url_with_password(server), "branch": "nope"}
        assert run("userscripts_sync")[0] == 1
        log.central_log.stream.flush()
        entries = redis.Redis.from_url(redis_server.url, decode_responses=True).xrange(logstream.STREAM)
        messages = " ".join(entry["message"] for _, entry in entries)
        assert "alice:***@" in messages and "has no branch" in messages and PASSWORD not in messages
    finally:
        git.USERSCRIPTS_LOG_STREAM = None
        log.configure(filename=str(central_log))
        redis_server.stop()


def test_a_password_stored_by_an_earlier_sync_is_redacted_by_the_migration(git):
    old = f"https://alice:{PASSWORD}@git.example.org/us.git"
    SyncedVersion.objects.create(source="git", commit="a" * 40, url=old,
                                 error=f"sync of {old} main failed, keeping aaaaaaaaaaaa: boom")
    migration = __import__("netbox_userscripts.migrations.0009_redact_git_passwords", fromlist=["redact_rows"])
    migration.redact_rows(apps, None)
    row = SyncedVersion.objects.get(source="git")
    assert row.url == "https://alice:***@git.example.org/us.git" and PASSWORD not in row.error
    assert row.error.startswith("sync of https://alice:***@git.example.org/us.git main failed")


@pytest.mark.parametrize("value, expected", [
    ({"password": "x", "password_file": "/etc/hostname"}, "both 'password' and 'password_file'"),
    ({"password_file": "/no/such/token"}, "USERSCRIPTS_GIT password_file '/no/such/token' cannot be read"),
    ({"key_filename": "/no/such/id_ed25519"}, "USERSCRIPTS_GIT key_filename '/no/such/id_ed25519' cannot be read"),
    ({"password": 1234}, "USERSCRIPTS_GIT password must be a string"),
    ({"user": "alice"}, "unknown keys ['user']"),
    ({"url": "ssh://git@git.example.org/us.git", "password": "x"}, "password is for an http(s):// URL"),
    ({"url": "ssh://git:pw@git.example.org/us.git"}, "password is for an http(s):// URL"),
])
def test_a_wrong_credential_setting_names_what_is_wrong(value, expected):
    with pytest.raises(ConfigurationError) as error:
        git_source({"url": "https://git.example.org/us.git", **value})
    assert expected in str(error.value) and len(str(error.value).splitlines()) == 1


def test_an_empty_password_file_is_named(tmp_path):
    empty = tmp_path / "token"
    empty.write_text("\n")
    with pytest.raises(ConfigurationError, match="password_file .* is empty"):
        git_source({"url": "https://git.example.org/us.git", "password_file": str(empty)})


def test_the_password_is_in_no_repr_of_the_source():
    source = git_source({"url": f"https://alice:{PASSWORD}@git.example.org/us.git"})
    assert source.remote == "https://git.example.org/us.git"
    assert (source.credentials.username, source.credentials.password) == ("alice", PASSWORD)
    assert PASSWORD not in repr(source) + str(source) + str(source.describe())


def test_an_ssh_key_file_goes_to_the_ssh_client(git, tmp_path, monkeypatch):
    """dulwich runs ``ssh``: a stand-in ``ssh`` on the PATH records its arguments and hangs up."""
    key, seen, bin_folder = tmp_path / "deploy_key", tmp_path / "ssh-args", tmp_path / "bin"
    key.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    bin_folder.mkdir()
    (bin_folder / "ssh").write_text(f'#!/bin/sh\necho "$@" > {seen}\nexit 255\n')
    (bin_folder / "ssh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    git.USERSCRIPTS_GIT = {"url": "ssh://git@git.example.org/netops/us.git", "key_filename": str(key)}
    code, output = run("userscripts_sync")
    assert code == 1 and "cannot fetch ssh://git.example.org/netops/us.git" in output and "Traceback" not in output
    args = seen.read_text().split()
    assert args[args.index("-i") + 1] == str(key) and "git@git.example.org" in " ".join(args)
