"""The test kit (``netbox_userscripts.testing``) as an author uses it: pytest in a subprocess on a folder of theirs.

Each test writes a throwaway project into ``tmp_path``: a userscript (a veto, a
``post_commit`` receiver queueing a task, a scheduled task, a ``call()``) and its tests,
enabling the kit with one line of ``conftest.py``. pytest runs it in a child process
against this project's settings, with a test database of its own (pytest-django creates
it; on PostgreSQL under another name than this suite's), and the test reads its output:
the author's tests pass, and when the userscript is broken they fail saying what is wrong.
"""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dcim.models import Site
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.signals import post_commit
from netbox_userscripts.testing.commits import commit_hooks
from netbox_userscripts.testing.folder import UserscriptNotLoaded, UserscriptsUnderTest

PROJECT = Path(__file__).resolve().parent.parent

USERSCRIPT = '''
"""Site rules: lower-case slugs, a welcome task per new site, an hourly check, a hello call."""
from datetime import timedelta

from django.dispatch import receiver
from django.http import JsonResponse

from dcim.models import Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import post_commit, pre_save
from netbox_userscripts.tasks import task


@receiver(pre_save, sender=Site)
def lower_case_slugs(sender, instance, **kwargs):
    if instance.slug != instance.slug.lower():
        raise AbortEvent(f"Site slug {instance.slug!r} must be lower case.")


@receiver(post_commit, sender=Site)
def welcome_new_sites(sender, changes, **kwargs):
    for change in changes:
        if change.action == "create":
            welcome.enqueue(name=change.after["name"])


@task
def welcome(name):
    logger.info("welcome %s", name)
    return f"welcome {name}"


@task(every=timedelta(hours=1))
def hourly():
    logger.info("hourly check of %d sites", Site.objects.count())


def call(name="world", **kwargs):
    return JsonResponse({"hello": name})
'''

TESTS = '''
import sys
from pathlib import Path

import pytest

import pytest

from dcim.models import Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.loading.registry import registry

FOLDER = Path(__file__).resolve().parent.parent / "userscripts"


def test_an_upper_case_slug_is_vetoed(userscripts):
    userscripts.load(FOLDER)
    with pytest.raises(AbortEvent, match="must be lower case"):
        Site.objects.create(name="AMS1", slug="AMS1")
    assert not Site.objects.exists()


def test_a_new_site_is_welcomed_by_a_task(userscripts, commit_hooks, run_tasks, userscript_log):
    userscripts.load(FOLDER / "site_rules.py")
    with commit_hooks() as sent:
        Site.objects.create(name="AMS1", slug="ams1")
    [change] = sent.changes(Site)
    assert change.action == "create" and change.before is None and change.after["slug"] == "ams1"
    [run] = run_tasks()
    assert run.return_value == "welcome AMS1"
    assert userscript_log("site_rules").infos[-2:] == ["welcome AMS1", f"task welcome (run {run.id}) succeeded"
                                                      f"{userscript_log('site_rules').infos[-1][-len(' in 0.000 s'):]}"]


def test_the_hourly_check_runs_at_its_next_period(userscripts, run_tasks, userscript_log):
    userscripts.load(FOLDER)
    Site.objects.create(name="AMS1", slug="ams1")
    assert run_tasks() == []
    [run] = run_tasks.next_period()
    assert run.task_path == "userscripts.site_rules.hourly"
    assert "hourly check of 1 sites" in userscript_log("site_rules").infos


def test_hello_answers_who_may_call(userscripts, call_userscript, admin_user, django_user_model):
    userscripts.load(FOLDER)
    answer = call_userscript("site_rules", user=admin_user, name="noc")
    assert (answer.status, answer.json) == (200, {"hello": "noc"})
    assert call_userscript("site_rules", user=django_user_model.objects.create_user("nobody")).status == 403


def test_nothing_is_left_loaded_after_a_test():
    assert registry.get("site_rules") is None
    assert "userscripts.site_rules" not in sys.modules
'''

CONFTEST = 'pytest_plugins = ["netbox_userscripts.testing"]\n'

# A test database of the child's own: the same settings, another test database name.
SETTINGS = '''
import os
from tests.settings import *  # noqa: F401,F403

DATABASES["default"]["TEST"] = {"NAME": os.environ["KIT_TEST_DATABASE"]}
'''


def write_project(root, userscript=USERSCRIPT, conftest=CONFTEST):
    (root / "userscripts").mkdir()
    (root / "userscripts" / "site_rules.py").write_text(textwrap.dedent(userscript))
    (root / "tests").mkdir()
    (root / "tests" / "conftest.py").write_text(conftest)
    (root / "tests" / "test_site_rules.py").write_text(TESTS)
    (root / "kit_settings.py").write_text(SETTINGS)


@pytest.fixture(scope="module")
def kit_database(tmp_path_factory):
    """The children's test database, made by the first and kept for the next (``--reuse-db``): migrations once."""
    if os.environ.get("USERSCRIPTS_TEST_POSTGRES"):
        return f"test_kit_{os.getpid()}"
    return str(tmp_path_factory.mktemp("kit-database") / "test.sqlite3")


def run_pytest(root, database, options=()):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(PROJECT), str(PROJECT / "sandbox")]),
           "KIT_TEST_DATABASE": database}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--ds", "kit_settings", "--rootdir", str(root),
         "-c", os.devnull, "--reuse-db", "-q", *options, "tests"],
        cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_an_authors_tests_pass_with_the_kit(tmp_path, kit_database):
    write_project(tmp_path)
    done = run_pytest(tmp_path, kit_database)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout


# How the kit is enabled: a line of conftest.py, or pytest's -p option (the veto case).
BROKEN = {
    "does not import": (("def call(name", "def call(name,,"), (), "4 failed, 1 passed",
                        ["UserscriptNotLoaded: site_rules.py did not load:", "SyntaxError: invalid syntax"]),
    "no longer vetoes": (("instance.slug != instance.slug.lower()", "False"), ("-p", "netbox_userscripts.testing"),
                         "1 failed, 4 passed",
                         ["FAILED tests/test_site_rules.py::test_an_upper_case_slug_is_vetoed", "DID NOT RAISE"]),
}


@pytest.mark.parametrize("edit, options, counts, said", BROKEN.values(), ids=BROKEN)
def test_a_broken_userscript_fails_its_tests_saying_what_is_wrong(tmp_path, kit_database, edit, options, counts,
                                                                  said):
    write_project(tmp_path, USERSCRIPT.replace(*edit), conftest="" if options else CONFTEST)
    done = run_pytest(tmp_path, kit_database, options)
    assert done.returncode == 1, done.stdout + done.stderr
    assert counts in done.stdout
    for line in said:
        assert line in done.stdout, done.stdout


def test_the_userscripts_fixture_puts_back_what_the_process_had_loaded(userscripts, tmp_path):
    """Unit: ``UserscriptsUnderTest.restore`` (the kit's ``userscripts`` fixture's end)."""
    userscripts.load_module("kept", "def call(**kwargs):\n    return 'kept'\n")
    before = {name for name in sys.modules if name.split(".")[0] == "userscripts"}
    other = tmp_path / "other"
    other.mkdir()
    (other / "borrowed.py").write_text("def call(**kwargs):\n    return 'borrowed'\n")
    (other / "broken.py").write_text("def call(\n")
    under_test = UserscriptsUnderTest()
    assert list(under_test.load(other / "borrowed.py")) == ["borrowed"]
    assert registry.get("kept") is None and registry.callable("borrowed")() == "borrowed"
    with pytest.raises(UserscriptNotLoaded, match="broken.py did not load:") as failed:
        under_test.load(other)
    assert "SyntaxError" in str(failed.value)
    under_test.restore()
    assert registry.callable("kept")() == "kept" and registry.get("borrowed") is None
    assert {name for name in sys.modules if name.split(".")[0] == "userscripts"} == before


@pytest.mark.django_db
def test_commit_hooks_send_the_blocks_writes_only_and_nothing_for_a_block_that_raised():
    """Unit: the ``commit_hooks`` fixture's context manager, in the test's transaction as pytest-django runs it."""
    received = []

    def receiver(sender, changes, **kwargs):
        received.extend((change.action, change.after["slug"] if change.after else None) for change in changes)

    post_commit.connect(receiver, sender=Site, weak=False)
    try:
        Site.objects.create(name="Set-up", slug="set-up")  # before the block: its transaction never commits
        with pytest.raises(ValueError), commit_hooks():
            Site.objects.create(name="Failed", slug="failed")
            raise ValueError("the block failed: rolled back, nothing is sent")
        assert received == []
        with commit_hooks() as sent:
            Site.objects.create(name="AMS1", slug="ams1")
        assert received == [("create", "ams1")]
        assert [(s.model, [c.after["slug"] for c in s.changes]) for s in sent] == [(Site, ["ams1"])]
    finally:
        post_commit.disconnect(receiver, sender=Site)
