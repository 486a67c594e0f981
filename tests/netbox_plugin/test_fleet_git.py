"""Userscripts from git (``USERSCRIPTS_GIT``) inside NetBox: runserver and rqworker converge on the synced commit.

A commit synced through the plugin's API is answered by the server within 5 s, both
processes show it in the process table, a sync by ``netbox userscripts_sync`` moves them
again, and a commit that does not import keeps the old one (502, exit code 1). Under
``runserver --noreload`` every record of the git-synced module's ``call()`` reaches the Redis
log stream (issue 28.6: none did).
"""
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import redis
from conftest import processes_on_the_recorded_version, wait_for
from dulwich import porcelain
from dulwich.repo import Repo

REPOSITORY = Path(tempfile.mkdtemp(prefix="userscripts-nb-git-"))
STREAM = f"redis://127.0.0.1:{os.environ.get('NBTEST_REDIS_PORT', '6379')}/4"
PLUGIN_SETTINGS = {"USERSCRIPTS_GIT": {"url": str(REPOSITORY), "branch": "main"}, "USERSCRIPTS_LOG_STREAM": STREAM}
WHICH = ('import os\n\nVERSION = "{version}"\n\n\ndef call(**kwargs):\n'
         '    logger.info("answered %s %s", VERSION, kwargs.get("n"))\n    return f"{{VERSION}} {{os.getpid()}}"\n')


def commit(text):
    if not (REPOSITORY / ".git").exists():
        Repo.init(str(REPOSITORY)).refs.set_symbolic_ref(b"HEAD", b"refs/heads/main")
    (REPOSITORY / "which.py").write_text(text)
    porcelain.add(str(REPOSITORY), paths=[str(REPOSITORY / "which.py")])
    return porcelain.commit(str(REPOSITORY), message=b"change", author=b"T <t@example.org>",
                            committer=b"T <t@example.org>").decode()


@pytest.fixture(scope="module", autouse=True)
def repository():
    yield REPOSITORY
    shutil.rmtree(REPOSITORY, ignore_errors=True)


def answer(nb):
    return nb.api("GET", "/userscript/?script=which").text  # "VERSION pid"


def test_a_synced_commit_is_run_by_the_server_and_the_worker(nb, rqworker):
    first = commit(WHICH.format(version="v1"))
    synced = nb.api("POST", "/api/plugins/userscripts/sync/")
    assert synced.status_code == 200 and synced.json()["commit"] == first, synced.text
    assert wait_for(lambda: answer(nb).startswith("v1 "), timeout=5), answer(nb)
    assert wait_for(lambda: processes_on_the_recorded_version(nb, rqworker), timeout=10)

    second = commit(WHICH.format(version="v2"))
    done = nb.manage("userscripts_sync")
    assert done.returncode == 0 and second[:12] in done.stdout, done.stderr
    assert wait_for(lambda: answer(nb).startswith("v2 "), timeout=5), answer(nb)
    table = wait_for(lambda: processes_on_the_recorded_version(nb, rqworker), timeout=10)
    assert table and table["recorded"] == second
    for n in range(7):
        assert nb.api("GET", f"/userscript/?script=which&n={n}").text.startswith("v2 ")
    stream = redis.Redis.from_url(STREAM, decode_responses=True)
    expected = [f"answered v2 {n}" for n in range(7)]
    assert wait_for(lambda: [m for _, e in stream.xrange("userscripts:log") if (m := e["message"]) in expected]
                    == expected, timeout=10), [e["message"] for _, e in stream.xrange("userscripts:log")][-20:]

    commit("def call(:\n")
    failed = nb.api("POST", "/api/plugins/userscripts/sync/")
    assert failed.status_code == 502 and f"keeping {second[:12]}" in failed.json()["message"], failed.text
    assert answer(nb).startswith("v2 ")
    assert nb.api("GET", "/api/plugins/userscripts/processes/").json()["recorded"] == second
