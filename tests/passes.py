"""The project's suite in its two passes: SQLite in the foreground, PostgreSQL beside it.

``make test`` runs this inside ``tests/netbox_plugin/harness.py``, which prepares NetBox (its
virtualenv, then ~6 minutes of migrations on one core) and then runs the NetBox suite: that
preparation and suite are the run's longest chain. One after the other, the two passes made
``make test`` 28 minutes on 2 cores (budget: 25). Most of the suite waits on servers and child
processes it starts, so the PostgreSQL pass fits in the others' waits; it starts once NetBox is
ready (the harness touches the file ``NBTEST_PREPARED`` names; at once without it), or when
the SQLite pass ends if that is sooner: started at once, it slowed NetBox's migrations from
6 to 10 minutes. It runs at a lower priority (``nice``, as the NetBox preparation): the SQLite
pass holds the tests that time a reload. Its output is kept in ``build/postgresql-pass.log``
and shown when both have ended, not interleaved with the SQLite pass's. The exit code is the
first failing pass's, else 0.

``PYTEST_ARGS`` (the SQLite pass) and ``PG_PYTEST_ARGS`` (the PostgreSQL pass) come from the
environment, as the ``Makefile`` sets them.
"""
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "build" / "postgresql-pass.log"
NICE = ["nice", "-n", "5"] if shutil.which("nice") else []


def netbox_prepared():
    """True once the NetBox harness says its preparation ended (or when no harness runs this)."""
    flag = os.environ.get("NBTEST_PREPARED")
    return not flag or Path(flag).exists()


def main():
    python = sys.executable
    LOG.parent.mkdir(exist_ok=True)
    sqlite = subprocess.Popen([python, "-m", "pytest", *shlex.split(os.environ.get("PYTEST_ARGS", ""))], cwd=ROOT)
    postgres = None
    try:
        with open(LOG, "w") as log:
            while sqlite.poll() is None and not netbox_prepared():
                time.sleep(1)
            postgres = subprocess.Popen([*NICE, python, "tests/pgserver.py", "run", "--", python, "-m", "pytest",
                                         *shlex.split(os.environ.get("PG_PYTEST_ARGS", "-q"))],
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            sqlite.wait()
            postgres.wait()
    finally:
        for process in (sqlite, postgres):
            if process is not None and process.poll() is None:  # Ctrl-C or an error above: nothing outlives the run
                process.terminate()
                process.wait()
    print(f"\nThe PostgreSQL pass (beside the SQLite pass):\n{LOG.read_text()}", flush=True)
    return sqlite.returncode or postgres.returncode


if __name__ == "__main__":
    sys.exit(main())
