"""A version's trial in a process of its own: does every flat module of it import?

A sync records a version only when its modules import. Importing them in the serving
process would put the untried version's ``userscripts`` package, helpers included, in
that process's ``sys.modules`` while requests run (a live ``call()`` importing a helper
would get a file of a version that may then be refused). So, as NetBox's own scripts are
validated in a worker, the version's files are written to a temporary folder and a new
Python process (``python -m netbox_userscripts.fleet.trial FOLDER ANSWER``, with this
process's settings module, path and ``USERSCRIPTS_TRIAL=1``) starts Django with the
engine's start-up reduced to what an import needs (no module loaded from the root, no
watcher, no heartbeat: ``apps.start``), imports each module as the loader does, and writes
the failures as JSON to ``ANSWER``. Its cost is one Django start-up (about a second
here, a few inside NetBox), off the request path; it is bounded by the sync's timeout.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import django

from netbox_userscripts.fleet.gitsource import SourceError
from netbox_userscripts.fleet.materialise import write_files
from netbox_userscripts.loading import loader
from netbox_userscripts.loading.child import run_child

TRIAL_ENV = "USERSCRIPTS_TRIAL"  # set in the trial's process: the engine starts without loading the root
MIN_SECONDS = 30  # a trial's bound at least: its Django start-up alone may take seconds on a busy host


def try_import(files, timeout):
    """The failures (``"NAME.py: error"``) of importing every flat module of ``files`` in a new process.

    Raises ``SourceError`` when the trial itself could not run or did not end within ``timeout`` seconds (at
    least ``MIN_SECONDS``: a fetch's short timeout must not refuse a version for a slow start).
    """
    timeout = max(timeout, MIN_SECONDS)
    with tempfile.TemporaryDirectory(prefix="userscripts-try-") as folder:
        root, answer = Path(folder) / "version", Path(folder) / "answer.json"
        write_files(root, files)
        try:
            done = run_child(__name__, [root, answer], timeout, extra_env={TRIAL_ENV: "1"})
        except subprocess.TimeoutExpired:
            raise SourceError(f"its trial import did not end within {timeout:g} s (a module that waits at "
                              "import, or a slow start; USERSCRIPTS_GIT's \"timeout\")") from None
        if not answer.is_file():
            said = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise SourceError(f"its trial import could not run: {said}")
        return json.loads(answer.read_text())["failures"]


def import_all(root):
    """In the trial's process: import each flat module of ``root`` as the loader does; the failures."""
    loader.ensure_package(root)
    failures = []
    for path in sorted(Path(root).glob("*.py")):
        if loader.is_userscript_name(path.stem):
            script = loader.import_userscript(path.stem, path)
            if not script.loaded:
                failures.append(f"{path.name}: {script.error}")
    return failures


def main(root, answer):
    django.setup()
    failures = import_all(root)
    Path(answer).write_text(json.dumps({"failures": failures}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
