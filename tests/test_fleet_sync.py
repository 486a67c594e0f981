"""Userscripts from git: ``userscripts_sync`` records a commit; bad input keeps the old one and says why."""
import importlib
import io
import subprocess
import sys
import threading
import time
import tracemalloc
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from django.core.management import call_command
from dulwich.repo import Repo

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet import trial
from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.fleet.gitconf import git_source
from netbox_userscripts.fleet.gitobjects import object_size
from netbox_userscripts.fleet.gitsource import fetch, snapshot
from netbox_userscripts.fleet.materialise import held
from netbox_userscripts.fleet.models import SyncedVersion
from netbox_userscripts.fleet.sync import sync, sync_if_due
from netbox_userscripts.fleet.synclock import one_sync_per_host
from netbox_userscripts.loading import child
from netbox_userscripts.loading.registry import registry
from tests.gitrepo import GitRepo

pytestmark = pytest.mark.django_db

HELLO = 'def call(**kwargs):\n    return "hello v%d"\n'


@pytest.fixture
def repo(tmp_path):
    return GitRepo(tmp_path / "origin")


@pytest.fixture
def git(userscripts, settings, repo):
    settings.USERSCRIPTS_GIT = {"url": str(repo.path), "branch": "main"}
    convergence.commit = ""
    yield settings
    convergence.commit = ""


def run_sync():
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        try:
            call_command("userscripts_sync", stdout=out, stderr=err)
            code = 0
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue() + err.getvalue()


def test_a_sync_records_the_branch_commit_and_this_process_moves_to_it(git, repo, userscripts):
    first = repo.commit({"hello.py": HELLO % 1, "helpers/__init__.py": "X = 1\n"})
    code, output = run_sync()
    assert code == 0, output
    assert first[:12] in output
    row = SyncedVersion.objects.get(source="git")
    assert row.commit == first and row.error == "" and set(row.files) == {"hello.py", "helpers/__init__.py"}
    assert convergence.ensure_current() is True
    assert registry.callable("hello")() == "hello v1"
    assert held(userscripts.root)[0] == first and (userscripts.root / "helpers" / "__init__.py").is_file()
    second = repo.commit({"hello.py": HELLO % 2, "other.py": "X = 2\n"}, remove=["helpers/__init__.py"])
    assert run_sync()[0] == 0
    assert convergence.ensure_current() is True and convergence.commit == second
    assert registry.callable("hello")() == "hello v2" and registry.get("other").loaded
    assert not (userscripts.root / "helpers" / "__init__.py").exists()  # the old version's file removed
    assert convergence.ensure_current() is False  # already there: nothing to do


def test_a_commit_that_does_not_import_keeps_the_last_good_version(git, repo, userscripts):
    good = repo.commit({"hello.py": HELLO % 1})
    assert run_sync()[0] == 0
    convergence.ensure_current()
    repo.commit({"hello.py": "def call(:\n", "fine.py": "X = 1\n"})
    code, output = run_sync()
    assert code == 1
    assert f"keeping {good[:12]}" in output and "hello.py: SyntaxError" in output
    row = SyncedVersion.objects.get(source="git")
    assert row.commit == good and "does not import" in row.error
    assert convergence.ensure_current() is False and registry.callable("hello")() == "hello v1"
    assert "does not import" in userscripts.log.read_text()
    repo.commit({"hello.py": HELLO % 3})
    assert run_sync()[0] == 0 and SyncedVersion.objects.get(source="git").error == ""


@pytest.mark.parametrize("config, expected", [
    ({"url": "/nonexistent/repository"}, "cannot fetch /nonexistent/repository"),
    ({"branch": "nope"}, "has no branch 'nope' (branches: main)"),
    ({"path": "missing"}, "folder 'missing' of commit"),
    ({"path": "docs"}, "has no Python file"),
])
def test_bad_input_fails_with_a_message_and_records_nothing(git, repo, config, expected):
    repo.commit({"hello.py": HELLO % 1, "docs/readme.txt": "words\n"})
    git.USERSCRIPTS_GIT = {**git.USERSCRIPTS_GIT, **config}
    code, output = run_sync()
    assert code == 1, output
    assert expected in output and "Traceback" not in output
    assert SyncedVersion.objects.get(source="git").commit == ""


@pytest.mark.parametrize("value, expected", [
    ({"url": "x", "path": "../outside"}, "outside the repository"),
    ({"url": "x", "path": "/etc"}, "outside the repository"),
    ({"branch": "main"}, "needs 'url'"),
    ({"url": "x", "interval": 0}, "interval must be a number"),
    ({"url": "x", "colour": "red"}, "unknown keys ['colour']"),
    ("https://example.org/repo.git", "must be a dict"),
])
def test_a_wrong_setting_names_what_is_wrong(value, expected):
    with pytest.raises(ConfigurationError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        git_source(value)


def test_the_command_without_git_says_so(userscripts):
    code, output = run_sync()
    assert code == 2 and "USERSCRIPTS_GIT is not set" in output


@pytest.mark.parametrize("git_too, expected", [
    (False, "USERSCRIPTS_DATA_SOURCE names a NetBox data source, which exists only inside NetBox"),
    (True, "USERSCRIPTS_GIT and USERSCRIPTS_DATA_SOURCE are both set"),
])
def test_a_data_source_outside_netbox_or_beside_git_is_named(userscripts, settings, git_too, expected):
    settings.USERSCRIPTS_DATA_SOURCE = "userscripts"
    if git_too:
        settings.USERSCRIPTS_GIT = {"url": "/srv/userscripts.git"}
    code, output = run_sync()
    assert code == 2 and expected in output and "Traceback" not in output
    assert not SyncedVersion.objects.exists()


def test_the_interval_syncs_once_per_period_whoever_asks(git, repo):
    first = repo.commit({"hello.py": HELLO % 1})
    git.USERSCRIPTS_GIT = {**git.USERSCRIPTS_GIT, "interval": 60}
    outcome = sync_if_due()
    assert outcome.ok and outcome.commit == first
    repo.commit({"hello.py": HELLO % 2})
    assert sync_if_due() is None  # attempted less than 60 s ago: not due, for this process or any other
    assert SyncedVersion.objects.get(source="git").commit == first
    git.USERSCRIPTS_GIT = {**git.USERSCRIPTS_GIT, "interval": None}
    assert sync_if_due() is None  # no interval: only the command and the API sync


def test_the_page_says_why_the_last_sync_failed(git, repo, client, superuser):
    repo.commit({"hello.py": HELLO % 1})
    git.USERSCRIPTS_GIT = {**git.USERSCRIPTS_GIT, "branch": "nope"}
    assert run_sync()[0] == 1
    client.force_login(superuser)
    page = client.get("/userscripts/").content.decode()
    assert 'id="sync-status"' in page and "last sync failed" in page and "has no branch &#x27;nope&#x27;" in page


@pytest.mark.parametrize("tree, path", [
    ({b"..": {b"evil.py": b"X = 1\n"}}, "../evil.py"),
    ({b"sub": {b"..": {b"..": {b"evil.py": b"X = 1\n"}}}}, "sub/../../evil.py"),
    ({b"/evil.py": b"X = 1\n"}, "/evil.py"),
    ({b"a\\evil.py": b"X = 1\n"}, "a\\\\evil.py"),
])
def test_a_path_that_leaves_the_root_refuses_the_version_and_writes_nothing(git, repo, userscripts, tree, path):
    good = repo.commit({"hello.py": HELLO % 1})
    assert run_sync()[0] == 0 and convergence.ensure_current() is True
    repo.commit_tree({b"hello.py": (HELLO % 2).encode(), **tree})
    code, output = run_sync()
    assert code == 1, output
    assert f"has a file named '{path}', which would be written outside USERSCRIPTS_ROOT" in output, output
    row = SyncedVersion.objects.get(source="git")
    assert row.commit == good and "outside USERSCRIPTS_ROOT" in row.error
    assert convergence.ensure_current() is False and registry.callable("hello")() == "hello v1"
    outside = userscripts.root.parent
    assert not list(outside.rglob("evil.py")) and not (outside.parent / "evil.py").exists()


def test_a_big_blob_is_left_out_without_being_read(git, repo, userscripts):
    repo.commit({"hello.py": HELLO % 1, "big.txt": "x" * (40 * 1024 * 1024)})
    cache = userscripts.root.parent / "cache"
    commit = fetch(str(repo.path), "main", cache)
    tracemalloc.start()
    try:
        shot = snapshot(cache, commit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert shot.skipped == ["big.txt"] and set(shot.files) == {"hello.py"}
    assert peak < 4 * 1024 * 1024, f"{peak:,} bytes allocated while reading the version"


@pytest.mark.parametrize("caps, expected", [
    ({"USERSCRIPTS_GIT_MAX_FILES": 2}, "has 3 files; a version may have 2 (USERSCRIPTS_GIT_MAX_FILES)."),
    ({"USERSCRIPTS_GIT_MAX_BYTES": 1000}, "holds 2,0"),
    ({"USERSCRIPTS_GIT_MAX_BYTES": 0}, "USERSCRIPTS_GIT_MAX_BYTES must be a positive whole number, got 0."),
])
def test_a_version_over_the_caps_is_refused_naming_the_setting(git, repo, caps, expected):
    good = repo.commit({"hello.py": HELLO % 1})
    assert run_sync()[0] == 0
    repo.commit({"one.py": "X = 1\n", "two.txt": "y" * 2000})
    for name, value in caps.items():
        setattr(git, name, value)
    code, output = run_sync()
    assert code == 1 and expected in output, output
    assert SyncedVersion.objects.get(source="git").commit == good


def test_object_sizes_come_from_the_headers_of_loose_packed_and_delta_objects(repo):
    base = "".join(f"line {n}\n" for n in range(5000))
    for n in range(3):  # similar versions of one file: git stores them as deltas of each other
        repo.commit({"data.txt": base + f"change {n}\n" * (n + 1)})
    loose = Repo(str(repo.path))
    expected = {sha: len(loose.object_store[sha].as_raw_string()) for sha in loose.object_store}
    assert all(object_size(loose.object_store, sha) == size for sha, size in expected.items())
    subprocess.run(["git", "-C", str(repo.path), "repack", "-adf", "-q"], check=True)
    packed = Repo(str(repo.path))
    assert all(object_size(packed.object_store, sha) == size for sha, size in expected.items())
    verify = subprocess.run(["git", "-C", str(repo.path), "verify-pack", "-v",
                             *map(str, (repo.path / ".git" / "objects" / "pack").glob("*.idx"))],
                            capture_output=True, text=True, check=True).stdout
    assert any(len(line.split()) == 7 for line in verify.splitlines()), "no delta in the pack"


# Issue 28.4: a commit is tried in a process of its own; syncs on a host one at a time.

CALLS_HELPER = """\
import importlib

def call(**kwargs):
    return importlib.import_module("userscripts.helper").VALUE  # imported at each call, as a live call may
"""
SLOW = "import time\ntime.sleep(1.5)\n"


def userscripts_entries():
    return {name: module for name, module in sys.modules.items() if name.split(".")[0] == "userscripts"}


def calls_meanwhile(during):
    """Call ``hello`` (and look at ``sys.modules``) over and over while ``during()`` runs: ``(answers, entries
    seen)``, and ``during``'s value."""
    answers, seen, stop, value = [], [], threading.Event(), []

    def caller():
        while not stop.is_set():
            answers.append(registry.callable("hello")())
            seen.append(userscripts_entries())
            time.sleep(0.01)

    thread = threading.Thread(target=caller)
    thread.start()
    try:
        value.append(during())
    finally:
        stop.set()
        thread.join()
    return answers, seen, value[0]


@pytest.mark.django_db(transaction=True)
def test_a_failing_trial_touches_no_module_of_the_serving_process(git, repo, userscripts):
    repo.commit({"hello.py": CALLS_HELPER, "helper.py": "VALUE = 1\n"})
    assert sync().ok and convergence.ensure_current()
    assert registry.callable("hello")() == 1
    before = userscripts_entries()
    repo.commit({"helper.py": "VALUE = 2\n", "slow.py": SLOW + "raise RuntimeError('refused')\n"})
    answers, seen, outcome = calls_meanwhile(sync)
    assert not outcome.ok and "slow.py: RuntimeError: refused" in outcome.message
    assert len(answers) > 10 and set(answers) == {1}  # the recorded version's helper, all through the trial
    assert all(entries == before for entries in seen)  # not a module swapped, not for a moment
    assert userscripts_entries() == before
    assert sys.modules["userscripts"].__path__ == [str(userscripts.root.resolve())]


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_syncs_leave_helper_imports_working(git, repo, userscripts):
    repo.commit({"hello.py": CALLS_HELPER, "helper.py": "VALUE = 1\n"})
    assert sync().ok and convergence.ensure_current()
    second = repo.commit({"helper.py": "VALUE = 2\n", "slow.py": SLOW, "later.py": "X = 1\n",
                          "tools/__init__.py": "NAME = 'tools'\n"})
    outcomes = []

    def two_syncs_and_a_move():
        threads = [threading.Thread(target=lambda: outcomes.append(sync())) for _ in range(2)]
        for thread in threads:
            thread.start()
        while not outcomes:  # the process moves as soon as the first is recorded, while the second runs
            time.sleep(0.01)
        convergence.ensure_current()
        for thread in threads:
            thread.join()

    answers, _, _ = calls_meanwhile(two_syncs_and_a_move)
    assert set(answers) <= {1, 2} and answers == sorted(answers)  # the old helper, then the new one, never back
    assert [o.commit for o in outcomes] == [second, second] and all(o.ok for o in outcomes)
    assert sorted(o.changed for o in outcomes) == [False, True]  # one after the other: the second found it done
    assert registry.callable("hello")() == 2
    assert importlib.import_module("userscripts.tools").NAME == "tools"  # a helper never imported before
    assert sys.modules["userscripts"].__path__ == [str(userscripts.root.resolve())]


@pytest.mark.django_db(transaction=True)
def test_a_sync_while_another_holds_the_host_lock_waits_then_says_it_did_not_start(git, repo, userscripts,
                                                                                   settings):
    settings.USERSCRIPTS_GIT = {**settings.USERSCRIPTS_GIT, "timeout": 1}
    repo.commit({"hello.py": HELLO % 1})
    with one_sync_per_host(userscripts.root, 1) as mine:  # as another process of the host would
        assert mine
        started = time.monotonic()
        outcome = sync()
    assert time.monotonic() - started >= 1
    assert not outcome.ok and "another sync on this host is still running" in outcome.message
    assert "another sync on this host is still running" in userscripts.log.read_text()
    assert sync().ok  # the lock released: the next one runs


@pytest.mark.django_db(transaction=True)
def test_a_trial_that_does_not_end_fails_the_sync_within_its_timeout(git, repo, userscripts, settings,
                                                                     monkeypatch):
    settings.USERSCRIPTS_GIT = {**settings.USERSCRIPTS_GIT, "timeout": 2}
    monkeypatch.setattr(trial, "MIN_SECONDS", 2)  # 30 s otherwise
    repo.commit({"hello.py": "import time\ntime.sleep(60)\n"})
    started = time.monotonic()
    outcome = sync()
    assert time.monotonic() - started < 10
    assert not outcome.ok and "its trial import did not end within 2 s" in outcome.message


def test_the_trial_runs_this_environments_python_even_under_an_embedding_server(monkeypatch):
    assert child.python_executable() == sys.executable
    monkeypatch.setattr(sys, "executable", "/usr/local/bin/uwsgi")  # as uWSGI sets it
    assert child.python_executable() == str(Path(sys.prefix) / "bin" / "python3")
    assert Path(child.python_executable()).exists()
