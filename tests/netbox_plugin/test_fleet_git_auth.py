"""A private repository inside NetBox: ``USERSCRIPTS_GIT`` in ``PLUGINS_CONFIG`` with ``username`` and ``password``.

The repository is served over HTTP behind basic auth (``tests/gitserver.py``: dulwich's
own server) by this pytest process; NetBox's server and ``netbox userscripts_sync`` reach
it with the plugin's keys, and the password is in no answer of the sync and processes API,
no command output and not in the central log.
"""
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from dulwich import porcelain
from dulwich.repo import Repo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the project's test helpers
from gitserver import GitServer  # noqa: E402

PASSWORD = "nb-tok-5be02d41"  # noqa: S105 - the secret the test hunts for
REPOSITORY = Path(tempfile.mkdtemp(prefix="userscripts-nb-git-auth-"))
Repo.init(str(REPOSITORY)).refs.set_symbolic_ref(b"HEAD", b"refs/heads/main")
SERVER = GitServer(REPOSITORY, "alice", PASSWORD)
PLUGIN_SETTINGS = {"USERSCRIPTS_GIT": {"url": SERVER.url, "branch": "main", "username": "alice",
                                       "password": PASSWORD}}


def commit(text):
    (REPOSITORY / "private.py").write_text(text)
    porcelain.add(str(REPOSITORY), paths=[str(REPOSITORY / "private.py")])
    return porcelain.commit(str(REPOSITORY), message=b"change", author=b"T <t@example.org>",
                            committer=b"T <t@example.org>").decode()


@pytest.fixture(scope="module", autouse=True)
def repository():
    yield REPOSITORY
    SERVER.close()
    shutil.rmtree(REPOSITORY, ignore_errors=True)


def test_the_plugins_credentials_reach_the_repository_and_nothing_shows_the_password(nb):
    first = commit('def call(**kwargs):\n    return "private v1"\n')
    synced = nb.api("POST", "/api/plugins/userscripts/sync/")
    assert synced.status_code == 200 and synced.json()["commit"] == first, synced.text
    assert SERVER.served and not SERVER.refused
    second = commit('def call(**kwargs):\n    return "private v2"\n')
    command = nb.manage("userscripts_sync")
    assert command.returncode == 0 and second[:12] in command.stdout, command.stderr
    table = nb.api("GET", "/api/plugins/userscripts/processes/")
    assert table.status_code == 200 and table.json()["recorded"] == second
    assert table.json()["sync"]["url"] == SERVER.url
    listing = nb.manage("userscripts", "--processes")
    for text in (synced.text, command.stdout + command.stderr, table.text, listing.stdout + listing.stderr, nb.log()):
        assert PASSWORD not in text
