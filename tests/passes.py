"""The project's suite in its two passes at once: SQLite in the foreground, PostgreSQL beside it.

``make test`` runs this (inside ``tests/netbox_plugin/harness.py``, which prepares and runs the
NetBox suite beside it). Most of the suite waits on servers and child processes it starts, so
on 2 cores the PostgreSQL pass fits in the SQLite pass's waits: one after the other they took
28 minutes of a 25-minute budget (with the NetBox suite beside them), side by side about 15
(without it). The PostgreSQL pass runs at a lower priority (``nice``, as the NetBox suite's
preparation): the SQLite pass holds the tests that time a reload. Its output is kept in
``build/postgresql-pass.log`` and shown when both have ended, not interleaved with the SQLite
pass's. The exit code is the first failing pass's, else 0.

``PYTEST_ARGS`` (the SQLite pass) and ``PG_PYTEST_ARGS`` (the PostgreSQL pass) come from the
environment, as the ``Makefile`` sets them.
"""
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "build" / "postgresql-pass.log"
NICE = ["nice", "-n", "5"] if shutil.which("nice") else []


def main():
    python = sys.executable
    LOG.parent.mkdir(exist_ok=True)
    with open(LOG, "w") as log:
        postgres = subprocess.Popen([*NICE, python, "tests/pgserver.py", "run", "--", python, "-m", "pytest",
                                     *shlex.split(os.environ.get("PG_PYTEST_ARGS", "-q"))],
                                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            sqlite = subprocess.run([python, "-m", "pytest", *shlex.split(os.environ.get("PYTEST_ARGS", ""))],
                                    cwd=ROOT).returncode
            postgres.wait()
        finally:
            if postgres.poll() is None:  # Ctrl-C or an error above: the pass does not outlive the run
                postgres.terminate()
                postgres.wait()
    print(f"\nThe PostgreSQL pass (beside the SQLite pass):\n{LOG.read_text()}", flush=True)
    return sqlite or postgres.returncode


if __name__ == "__main__":
    sys.exit(main())
