"""The runner: one transaction, rollback rules, statuses, log entries, post_run, test order."""
import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import SuspiciousFileOperation

from netbox_userscripts.jobs.runner import execute, run_job
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts.models import JobResult

JOBS = """
from django.contrib.auth.models import Group
from netbox_userscripts.jobs import *

name = "Runner jobs"

class Creator(Job):
    count = IntegerVar(default=2)

    class Meta:
        name = "Create groups"
        description = "Creates groups"

    def run(self, data, commit):
        for i in range(data["count"]):
            group = Group.objects.create(name=f"g{i}")
            self.log_success(f"Created **{group.name}**", obj=group)
        return "\\n".join(Group.objects.order_by("name").values_list("name", flat=True))

class ReadOnly(Creator):
    class Meta:
        read_only = True

class Crashes(Job):
    def run(self, data, commit):
        Group.objects.create(name="before-crash")
        self.log_info("about to fail")
        raise ValueError("boom")

    def test_never(self):
        self.log_info("not reached")

    def post_run(self):
        self.log_info(f"post_run sees failed={self.failed} status={self.result.status} "
                      f"groups={Group.objects.count()}")

class Aborts(Job):
    def run(self, data, commit):
        Group.objects.create(name="before-abort")
        raise AbortScript("Site name is taken")

class Fails(Job):
    def run(self, data, commit):
        Group.objects.create(name="kept")
        self.log_failure(message="one failure, going on")
        self.log_info("still running")

class Steps(Job):
    def test_zeta(self):
        self.log_info("zeta")

    def test_alpha(self):
        self.log_warning(obj=None, message="alpha")

    def test_middle(self):
        self.log_debug("middle")

    def post_run(self):
        self.log("done")

class Legacy(Job):
    text = StringVar(default="hi")

    def run(self, data):
        return data["text"] * 2

class Spellings(Job):
    def run(self, data, commit):
        group = Group.objects.create(name="obj")
        self.log_success("netbox message-first", group)
        self.log_success("netbox keyword", obj=group)
        self.log_success(group, "nautobot positional")
        self.log_success(obj=group, message="nautobot keywords")
        self.log_info(message="no object")
        self.log_warning(group)
        return f"request={self.request} user={self.user}"

class Files(Job):
    def run(self, data, commit):
        return str(self.load_json("data/sites.json")) + " " + str(self.load_yaml("data/sites.yaml"))

class Escape(Job):
    def run(self, data, commit):
        return self.load_json("../outside.json")
"""


@pytest.fixture
def jobs(userscripts, db):
    userscripts.load_module("runner_jobs", JOBS)
    return lambda name: registry.get_job(f"runner_jobs.{name}")


def levels(result):
    return [(e["grouping"], e["level"], e["message"]) for e in result.log]


def test_commit_keeps_writes(jobs):
    result = execute(jobs("Creator"), {"count": 3}, commit=True)
    assert result.status == "completed" and result.commit is True
    assert Group.objects.count() == 3
    assert result.output == "g0\ng1\ng2"
    assert result.data == {"count": 3}
    assert [e["level"] for e in result.log] == ["success"] * 3
    entry = result.log[0]
    assert entry["grouping"] == "run" and entry["message"] == "Created **g0**" and entry["object"] == "g0"
    group = Group.objects.get(name="g0")
    assert entry["object_type"] == "auth.group" and entry["object_id"] == group.pk
    assert result.entries()[0]["url"] == f"/admin/auth/group/{group.pk}/change/"
    assert result.class_path == "local/runner_jobs/Creator" and result.job_name == "runner_jobs.Creator"
    assert result.name == "Create groups" and result.started and result.completed >= result.started


def test_commit_false_rolls_back(jobs):
    result = execute(jobs("Creator"), {"count": 2}, commit=False)
    assert Group.objects.count() == 0
    assert result.status == "completed" and result.commit is False and result.output == "g0\ng1"
    assert levels(result)[-1] == ("transaction", "info", "Database changes have been reverted automatically "
                                                         "(commit is off).")
    assert JobResult.objects.get(pk=result.pk).log == result.log  # the result survived the rollback


def test_read_only_rolls_back_even_with_commit(jobs):
    result = execute(jobs("ReadOnly"), {"count": 2}, commit=True)
    assert Group.objects.count() == 0
    assert result.status == "completed" and result.commit is False
    assert all(e["grouping"] != "transaction" for e in result.log)  # no transaction messages for reports


def test_exception_rolls_back_and_records_the_traceback(jobs, userscripts):
    Group.objects.create(name="existing")
    result = run_job(jobs("Crashes"), {}, commit=True)
    assert list(Group.objects.values_list("name", flat=True)) == ["existing"]
    result.refresh_from_db()
    assert result.status == "errored"
    assert "ValueError: boom" in result.traceback and "Traceback" in result.traceback
    assert levels(result) == [
        ("run", "info", "about to fail"),
        ("run", "failure", "An exception occurred: `ValueError: boom`"),
        ("post_run", "info", "post_run sees failed=True status=errored groups=1"),
        ("transaction", "info", "Database changes have been reverted due to an error."),
    ]
    log = userscripts.log.read_text()
    assert "ERROR runner_jobs.py: Crashes [run] failure: An exception occurred" in log
    assert "ValueError: boom" in log


def test_abort_script_fails_without_traceback_and_rolls_back(jobs):
    result = run_job(jobs("Aborts"), {}, commit=True)
    assert Group.objects.count() == 0
    assert result.status == "failed" and result.traceback == ""
    assert ("run", "failure", "Site name is taken") in levels(result)


def test_log_failure_marks_failed_and_goes_on(jobs):
    result = run_job(jobs("Fails"), {}, commit=True)
    assert result.status == "failed"
    assert Group.objects.filter(name="kept").exists()  # log_failure alone does not roll back
    assert levels(result) == [("run", "failure", "one failure, going on"), ("run", "info", "still running")]


def test_test_methods_run_in_name_order_then_post_run(jobs):
    result = run_job(jobs("Steps"), {}, commit=True)
    assert [(g, lvl) for g, lvl, _ in levels(result)] == [
        ("test_alpha", "warning"), ("test_middle", "debug"), ("test_zeta", "info"), ("post_run", "default")]
    assert result.groupings()[0][0] == "test_alpha"


def test_legacy_run_signature(jobs):
    assert execute(jobs("Legacy"), {}).output == "hihi"
    assert execute(jobs("Legacy"), {"text": "ab"}).output == "abab"


def test_both_log_spellings(jobs):
    user = User.objects.create_user("ann")
    result = run_job(jobs("Spellings"), {}, commit=False, user=user)
    assert [(e["message"], e["object"]) for e in result.log[:6]] == [
        ("netbox message-first", "obj"), ("netbox keyword", "obj"), ("nautobot positional", "obj"),
        ("nautobot keywords", "obj"), ("no object", None), ("", "obj")]
    assert result.output == "request=None user=ann" and result.user == user


def test_load_yaml_and_json_stay_in_the_root(jobs, userscripts):
    userscripts.write("data/sites.json", '{"a": 1}')
    userscripts.write("data/sites.yaml", "b: [1, 2]\n")
    assert execute(jobs("Files"), {}).output == "{'a': 1} {'b': [1, 2]}"
    (userscripts.root.parent / "outside.json").write_text("{}")
    result = execute(jobs("Escape"), {})
    assert result.status == "errored" and "SuspiciousFileOperation" in result.traceback
    with pytest.raises(SuspiciousFileOperation):
        jobs("Escape")().load_json("/etc/passwd")


def test_results_survive_an_outer_rollback_free_transaction(jobs):
    before = JobResult.objects.count()
    execute(jobs("Crashes"), {})
    execute(jobs("Aborts"), {})
    assert JobResult.objects.count() == before + 2


def test_discovery_only_defined_classes(userscripts, db):
    userscripts.write("disc.py", """
        from netbox_userscripts.jobs import Job, Script
        from userscripts.runner_jobs import Creator  # imported, not defined here

        class Base(Job):
            class Meta:
                abstract = True

        class Second(Base):
            pass

        class First(Script):
            pass
    """)
    userscripts.write("runner_jobs.py", JOBS)
    userscripts.load()
    assert list(registry.get("disc").jobs) == ["Second", "First"]
    assert [(name, [c.__name__ for c in classes]) for _, name, classes in registry.job_groups()
            if name == "disc"] == [("disc", ["Second", "First"])]


def test_the_registry_is_the_one_job_lookup(userscripts, db):
    userscripts.write("runner_jobs.py", JOBS)
    userscripts.write("broken.py", "raise RuntimeError('no')\n")
    userscripts.load()
    creator = registry.get("runner_jobs").jobs["Creator"]
    names = ("runner_jobs.Creator", "local/runner_jobs/Creator", "runner_jobs/Creator", "/local/runner_jobs/Creator/")
    for name in names:
        assert registry.get_job(name) is creator
    for name in ("runner_jobs.Nope", "nope.Creator", "broken.Anything", "runner_jobs", "../etc/passwd", "", None, 3):
        with pytest.raises(LookupError, match="is loaded"):
            registry.get_job(name)
