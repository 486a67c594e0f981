"""The fixtures of the test kit (``netbox_userscripts.testing`` registers this module once Django is set up).

Each is small and does one thing; the modules beside this one hold the work:

- ``userscripts``: ``userscripts.load(folder_or_files)`` for this test only (``folder``);
- ``userscript_log``: ``userscript_log("NAME")``, the records a module wrote (``logs``);
- ``commit_hooks``: ``with commit_hooks() as sent:``, what a commit would run (``commits``);
- ``run_job``: ``run_job("MODULE.ClassName", data=..., commit=..., user=...)`` (``jobs``);
- ``call_userscript``: ``call_userscript("NAME", user=..., **params)`` (``calls``);
- ``run_tasks``: where the database backend is installed (``dbtasks``).
"""
import pytest

from netbox_userscripts.testing import calls, commits, jobs
from netbox_userscripts.testing.folder import UserscriptsUnderTest
from netbox_userscripts.testing.logs import LogUnderTest


@pytest.fixture
def userscript_log(tmp_path):
    """The central log, written to a file of this test; ``userscript_log("NAME")`` reads a module's records."""
    central = LogUnderTest(tmp_path / "userscripts-log" / "userscripts.log")
    yield central
    central.restore()


@pytest.fixture
def userscripts(db, userscript_log):
    """Userscripts loaded for this test only: ``userscripts.load(folder)`` or ``.load(file, ...)``.

    After the test the registry and ``sys.modules`` hold again what they held before it.
    """
    under_test = UserscriptsUnderTest()
    yield under_test
    under_test.restore()


@pytest.fixture
def commit_hooks(db):
    """``with commit_hooks() as sent:`` runs the commit hooks of the block's writes at its end (``commits``)."""
    return commits.commit_hooks


@pytest.fixture
def run_job(db):
    """``run_job(path, data=None, commit=True, user=None)`` runs a loaded job; its ``JobResult``."""
    return jobs.run_job


@pytest.fixture
def call_userscript(db):
    """``call_userscript(name, user=None, method="get", **params)`` through the real view: ``.status``, ``.json``."""
    return calls.call_userscript
