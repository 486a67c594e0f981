"""Two hosts from one git repository: each its own folder and gunicorn workers, one database.

A commit pushed and synced on one host is answered by every worker of both within 5 s, the
process table shows them all on it, a bad commit keeps the old version on all, and a
``runjob`` started afterwards runs the recorded version.
"""
import json
import subprocess
import time

import pytest
import requests

from tests.gitrepo import GitRepo
from tests.gunicorn import GUNICORN, serve, wait_until, write_configuration
from tests.project import MANAGE, PROJECT, environment

SCRIPT = """\
import os
from netbox_userscripts.jobs import Job

VERSION = "{version}"

def call(**kwargs):
    return f"{{VERSION}} {{os.getpid()}}"

class Which(Job):
    def run(self, data, commit):
        return VERSION
"""


def manage(config, *args):
    return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=environment(config), capture_output=True, text=True,
                          timeout=120)


class Host:
    def __init__(self, tmp_path, name, repo, database):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "userscripts").mkdir()
        self.name = name
        self.config = write_configuration(
            folder, folder / "userscripts", database=database,
            extra=f"USERSCRIPTS_GIT = {{'url': {str(repo.path)!r}, 'branch': 'main'}}\nALLOWED_HOSTS = ['*']\n")


def answers(base, count=30):
    url = f"{base}/userscript/?script=which"
    return [requests.get(url, timeout=5, headers={"Connection": "close"}).text for _ in range(count)]


def every_worker_answers(base, version, workers=2):
    """True when ``workers`` different pids answered and all said ``version``."""
    seen = answers(base)
    pids = {a.split()[-1] for a in seen}
    return all(a.startswith(version + " ") for a in seen) and len(pids) >= workers


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_two_hosts_converge_on_the_synced_commit(tmp_path):
    repo = GitRepo(tmp_path / "origin")
    database = f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'shared.sqlite3')!r}}}"
    first = repo.commit({"which.py": SCRIPT.format(version="v1")})
    a, b = Host(tmp_path, "a", repo, database), Host(tmp_path, "b", repo, database)
    assert manage(a.config, "migrate", "--no-input").returncode == 0
    synced = manage(a.config, "userscripts_sync")
    assert synced.returncode == 0 and first[:12] in synced.stdout, synced.stderr
    with serve(a.config, workers=2) as base_a, serve(b.config, workers=2) as base_b:
        for base in (base_a, base_b):  # started after the sync: each starts on it
            wait_until(lambda base=base: every_worker_answers(base, "v1"), timeout=60)
        second = repo.commit({"which.py": SCRIPT.format(version="v2")})
        synced = manage(b.config, "userscripts_sync")
        assert synced.returncode == 0, synced.stderr
        done = time.monotonic()
        for base in (base_a, base_b):
            wait_until(lambda base=base: every_worker_answers(base, "v2"), timeout=5,
                       message=f"{base} not on the synced commit within 5 s")
        assert time.monotonic() - done <= 5.5

        time.sleep(3.5)  # one refresh of every row
        table = json.loads(manage(a.config, "userscripts", "--processes", "--json").stdout)
        web = [row for row in table["results"] if row["role"] == "web" and row["state"] == "live"]
        assert table["recorded"] == second
        assert len(web) >= 4 and {row["version"] for row in web} == {second}
        assert not any(row["mismatch"] for row in web) and all(row["loaded"] == ["which"] for row in web)
        assert (tmp_path / "a" / "userscripts" / "which.py").read_text() == SCRIPT.format(version="v2")

        repo.commit({"which.py": "def call(:\n"})
        failed = manage(a.config, "userscripts_sync")
        assert failed.returncode == 1 and f"keeping {second[:12]}" in failed.stderr
        assert "Traceback" not in failed.stderr
        time.sleep(1.5)
        for base in (base_a, base_b):
            assert every_worker_answers(base, "v2")
        job = manage(b.config, "runjob", "local/which/Which")
        assert job.returncode == 0 and "v2" in job.stdout, job.stdout + job.stderr
