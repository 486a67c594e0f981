"""``userscripts_check``: a folder (or a git commit) of userscripts imported in a child process, what each module
defines and every problem, exit code 1 on any; bad input exit code 2."""
import json
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from netbox_userscripts.loading.registry import registry
from tests.gitrepo import GitRepo

PROJECT = Path(__file__).resolve().parent.parent
GOOD = """
    from datetime import timedelta
    from django.dispatch import receiver
    from dcim.models import Device
    from netbox_userscripts.jobs import Job, StringVar
    from netbox_userscripts.signals import post_commit
    from netbox_userscripts.tasks import task

    logger.info("imported")  # the check writes nothing to the central log


    @receiver(post_commit, sender=Device)
    def pushed(sender, changes, **kwargs):
        pass


    class Rename(Job):
        new_name = StringVar()

        def run(self, data, commit):
            pass


    @task(every=timedelta(minutes=5))
    def tick():
        pass


    @task(cron="0 3 * * *")
    def nightly():
        pass


    def call(**kwargs):
        return "ok"
"""
BROKEN = {
    "imports.py": "import os\n\nimport no_such_module_here\n",
    "schedule.py": """
        from netbox_userscripts.tasks import task


        @task(cron="0 0 31 2 *")
        def never():
            pass
    """,
    "models.py": """
        from django.dispatch import receiver
        from netbox_userscripts.signals import post_commit, post_save


        @receiver(post_save, sender="dcim.Devise")
        def saved(sender, **kwargs):
            pass


        @receiver(post_commit, sender="dcim.Device")
        def committed(sender, **kwargs):
            pass
    """,
    "form.py": """
        from netbox_userscripts.jobs import Job, StringVar


        class BrokenVar(StringVar):
            def as_field(self):
                raise ValueError("no field today")


        class Broken(Job):
            name_var = BrokenVar()

            def run(self, data, commit):
                pass
    """,
    "leaves.py": "import sys\n\nsys.exit(3)\n",
}


def check(capsys, *arguments):
    """``(exit code, JSON report)`` of ``userscripts_check ARGUMENTS --format json``."""
    code = 0
    try:
        call_command("userscripts_check", *arguments, "--format", "json")
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def test_what_each_module_defines_is_listed(userscripts, capsys):
    userscripts.write("good.py", GOOD)
    code, report = check(capsys, str(userscripts.root))
    assert code == 0 and report["ok"] and report["problems"] == 0 and report["schema"] == 1
    good, = report["modules"]
    assert good == {"name": "good", "file": "good.py", "ok": True, "call": True, "problems": [],
                    "receivers": [{"signal": "post_commit", "sender": "dcim.Device", "receiver": "pushed"}],
                    "jobs": [{"name": "Rename", "class_path": "local/good/Rename", "vars": ["new_name"]}],
                    "tasks": [{"name": "tick", "schedule": "every 300 s"},
                              {"name": "nightly", "schedule": "cron 0 3 * * *"}]}
    for log in (userscripts.log, Path(settings.USERSCRIPTS_LOG_FILE)):  # the child's import logged nowhere
        assert "imported" not in (log.read_text() if log.exists() else "")
    assert registry.get("good") is None  # nor loaded here


def test_every_problem_is_named_and_the_exit_code_is_1(userscripts, capsys):
    for name, source in BROKEN.items():
        userscripts.write(name, source)
    code, report = check(capsys, str(userscripts.root))
    assert code == 1 and not report["ok"]
    problems = {m["name"]: [(p["kind"], p["line"]) for p in m["problems"]] for m in report["modules"]}
    assert problems == {"imports": [("import_error", 3)], "schedule": [("bad_schedule", 5)],
                        "models": [("unknown_model", None), ("string_sender", None)],
                        "form": [("job_form", None)], "leaves": [("import_error", 3)]}
    messages = {m["name"]: [p["message"] for p in m["problems"]] for m in report["modules"]}
    assert messages["imports"] == ["ModuleNotFoundError: No module named 'no_such_module_here'"]
    assert "never fires" in messages["schedule"][0]
    assert "the model dcim.devise, which this project does not have" in messages["models"][0]
    assert messages["form"] == ["the form of job Broken does not build: ValueError: no field today"]
    assert messages["leaves"] == ["SystemExit: 3"]


def test_the_text_output_is_for_people(userscripts, capsys):
    userscripts.write("good.py", GOOD)
    userscripts.write("imports.py", BROKEN["imports.py"])
    with pytest.raises(SystemExit) as exited:
        call_command("userscripts_check", str(userscripts.root))
    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert "good.py  ok\n  receiver pushed on post_commit from dcim.Device\n  call: /userscript/?script=good\n" in out
    assert "  job: local/good/Rename (new_name)\n  task: tick, every 300 s\n  task: nightly, cron 0 3 * * *\n" in out
    assert "imports.py  PROBLEMS\n  problem (import_error, line 3): ModuleNotFoundError:" in out
    assert out.endswith("2 modules checked in " + str(userscripts.root.resolve()) + ": 1 problem.\n")


def test_the_shipped_userscripts_have_no_problem(capsys):
    code, report = check(capsys, str(PROJECT / "userscripts"))
    assert code == 0, report
    assert {m["name"] for m in report["modules"]} >= {"push_config", "change_log", "dns_records"}


def test_a_git_commit_is_checked_by_its_ref(tmp_path, capsys):
    repo = GitRepo(tmp_path / "repo")
    first = repo.commit({"scripts/good.py": GOOD})
    repo.commit({"scripts/imports.py": BROKEN["imports.py"]})
    code, report = check(capsys, "scripts", "--git", str(repo.path), "--ref", "main")
    assert code == 1 and [m["name"] for m in report["modules"]] == ["good", "imports"]
    assert report["git"] == str(repo.path) and len(report["commit"]) == 40
    code, report = check(capsys, "scripts", "--git", str(repo.path), "--ref", first)
    assert code == 0 and report["commit"] == first and [m["name"] for m in report["modules"]] == ["good"]


@pytest.mark.parametrize("arguments, message", [
    (["{tmp}/none"], "none is not a folder"),
    (["{tmp}"], "has no userscript module"),
    ([], "give the folder of userscripts to check"),
    (["--git", "{tmp}", "--ref", "main"], "is not a git repository"),
    (["--git", "{repo}", "--ref", "nope"], "has no branch, tag or commit 'nope'"),
])
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, arguments, message):
    GitRepo(tmp_path / "repo").commit({"good.py": "x = 1\n"})
    with pytest.raises(CommandError, match=message) as raised:
        call_command("userscripts_check", *[a.format(tmp=tmp_path, repo=tmp_path / "repo") for a in arguments])
    assert raised.value.returncode == 2


def test_the_documented_ci_job_runs_the_check_before_merge():
    workflow = yaml.safe_load((PROJECT / "docs" / "examples" / "ci" / "check-userscripts.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key "on" as True
    assert any("userscripts_check" in step.get("run", "") and "--format json" in step["run"] for step in steps)
