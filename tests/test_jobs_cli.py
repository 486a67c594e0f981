"""``manage.py runjob`` and ``runscript``: printed log and output, exit codes 0, 1 and 2."""
import io
import json
import subprocess
import textwrap

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from tests.project import MANAGE, PROJECT, environment

JOBS = """
from django.contrib.auth.models import Group, User
from netbox_userscripts.jobs import *

class MakeGroups(Job):
    prefix = StringVar(max_length=5)
    count = IntegerVar(min_value=1, default=2)
    owner = ObjectVar(model=User, required=False)

    def run(self, data, commit):
        for i in range(data["count"]):
            self.log_success(f"made {data['prefix']}{i}", obj=Group.objects.create(name=f"{data['prefix']}{i}"))
        return f"user={self.user} request={self.request}"

class Broken(Job):
    def run(self, data, commit):
        self.log_warning("about to break")
        raise RuntimeError("broken on purpose")

class Failing(Job):
    def test_check(self):
        self.log_failure(message="check failed")
"""


@pytest.fixture
def jobs(userscripts, db):
    userscripts.load_module("cli_jobs", JOBS)


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err, no_color=True)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, io.StringIO(err.getvalue() + str(exc))
    return code, out.getvalue(), err.getvalue()


def test_runjob_commits_and_prints_log_and_output(jobs):
    User.objects.create_user("ann")
    code, out, err = run("runjob", "--username", "ann", "--commit", "--data", '{"prefix": "g", "count": 2}',
                         "local/cli_jobs/MakeGroups")
    assert code == 0, err
    assert "SUCCESS  run              made g0 [g0]" in out and "made g1 [g1]" in out
    assert "Output:\nuser=ann request=None" in out
    assert "completed in" in out
    assert Group.objects.count() == 2


def test_runscript_netbox_spelling_without_commit(jobs, tmp_path):
    data = tmp_path / "input.json"
    data.write_text(json.dumps({"prefix": "n"}))
    code, out, err = run("runscript", "--data", f"@{data}", "cli_jobs.MakeGroups")
    assert code == 0, err
    assert "made n1" in out and "Database changes have been reverted automatically" in out
    assert Group.objects.count() == 0


def test_failed_and_errored_exit_1(jobs):
    code, out, err = run("runjob", "cli_jobs.Broken")
    assert code == 1 and "errored" in err and "RuntimeError: broken on purpose" in err
    assert "about to break" in out
    code, out, err = run("runjob", "local/cli_jobs/Failing")
    assert code == 1 and "failed" in err and "FAILURE  test_check" in out


@pytest.mark.parametrize("args, message", [
    (["local/cli_jobs/Nope"], "No job 'local/cli_jobs/Nope' is loaded"),
    (["--data", "{bad", "cli_jobs.MakeGroups"], "--data is not valid JSON"),
    (["--data", "[1]", "cli_jobs.MakeGroups"], "JSON object"),
    (["--data", "@/no/such/file.json", "cli_jobs.MakeGroups"], "cannot read the file"),
    (["--data", '{"prefix": "toolong"}', "cli_jobs.MakeGroups"], "prefix: Ensure this value has at most 5"),
    (["--data", '{"prefix": "a", "owner": {"groups__name": "x"}}', "cli_jobs.MakeGroups"], "owner: 'groups__name'"),
    (["--data", "{}", "cli_jobs.MakeGroups"], "prefix: This field is required."),
    (["--username", "ghost", "cli_jobs.MakeGroups"], "No user 'ghost'"),
])
def test_bad_input_exits_2_naming_the_problem(jobs, args, message):
    code, out, err = run("runjob", *args)
    assert code == 2 and message in err, err
    assert Group.objects.count() == 0


def test_exit_codes_of_the_real_command(tmp_path):
    """The process itself exits 0, 1 and 2 (a fresh SQLite database, its own config)."""
    root = tmp_path / "userscripts"
    root.mkdir()
    (root / "cli_jobs.py").write_text(textwrap.dedent(JOBS))
    config = tmp_path / "configuration.py"
    config.write_text(f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', "
                      f"'NAME': {str(tmp_path / 'db.sqlite3')!r}}}\n"
                      f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(tmp_path / 'u.log')!r}\n"
                      "USERSCRIPTS_AUTORELOAD = False\nSECRET_KEY = 'x'\n")
    env = environment(config)

    def manage(*args):
        return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=env, capture_output=True,
                              text=True, timeout=120)

    assert manage("migrate", "--no-input").returncode == 0
    ok = manage("runjob", "--commit", "--data", '{"prefix": "p"}', "local/cli_jobs/MakeGroups")
    assert ok.returncode == 0, ok.stderr
    assert "made p0" in ok.stdout
    assert manage("runscript", "cli_jobs.Broken").returncode == 1
    bad = manage("runjob", "--data", '{"count": 0, "prefix": "p"}', "local/cli_jobs/MakeGroups")
    assert bad.returncode == 2 and "count: Ensure this value is greater than or equal to 1." in bad.stderr
    assert "MakeGroups [run] success: made p0 (p0)" in (tmp_path / "u.log").read_text()
