"""The NetBox suite's harness (``tests/netbox_plugin/harness.py``) refuses what it cannot run, saying why.

These run the harness itself with Python 3.11 and stop before any NetBox is prepared.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).parent / "netbox_plugin" / "harness.py"


def harness(tmp_path, *command, **env):
    """``harness.py run -- COMMAND`` with ``env`` and no Python 3.12 to find (PATH and HOME without one)."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1", **env}
    return subprocess.run([sys.executable, str(HARNESS), "run", "--", *command], env=environment,
                          capture_output=True, text=True, timeout=120)


def test_without_python_312_the_run_passes_and_says_the_netbox_suite_did_not_run(tmp_path):
    if any(os.path.exists(f"/usr/bin/python3.{minor}") for minor in (12, 13, 14)):
        pytest.skip("this machine has a Python 3.12+ where the harness looks")
    done = harness(tmp_path, "true")
    assert done.returncode == 0, done.stderr
    assert "The NetBox plugin suite did NOT run: no Python 3.12 or newer found" in done.stderr
    assert "pyenv install 3.12" in done.stderr and "NETBOX_PYTHON" in done.stderr
    assert harness(tmp_path, "false").returncode == 1  # the project's suite still decides


def test_under_ci_a_missing_python_312_fails_the_run(tmp_path):
    if any(os.path.exists(f"/usr/bin/python3.{minor}") for minor in (12, 13, 14)):
        pytest.skip("this machine has a Python 3.12+ where the harness looks")
    done = harness(tmp_path, "true", CI="true")
    assert done.returncode == 1 and "NOT RUN, so this run FAILS" in done.stderr


def test_a_netbox_source_that_is_no_netbox_tree_is_refused(tmp_path):
    (tmp_path / "netbox").mkdir()
    done = harness(tmp_path, "true", NETBOX_SOURCE=str(tmp_path))
    assert done.returncode == 1
    assert f"NETBOX_SOURCE={tmp_path} is not a NetBox source tree: it has no netbox/manage.py" in done.stderr


def test_a_netbox_version_that_is_no_release_number_is_refused(tmp_path):
    done = harness(tmp_path, "true", NETBOX="latest")
    assert done.returncode == 1 and "NETBOX='latest' is not a NetBox release number" in done.stderr
