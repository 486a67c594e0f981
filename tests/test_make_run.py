"""``make run`` on a fresh copy of the repository serves /api/status/.

The copy has the tracked files only (no data/, no logs/); it shares this checkout's
virtualenv, which ``make test`` has installed, so the test does not reinstall it.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

PROJECT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fresh_copy(tmp_path):
    files = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True).stdout
    copy = tmp_path / "clone"
    for name in filter(None, files.decode().split("\0")):
        source = PROJECT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    (copy / ".venv").symlink_to(PROJECT / ".venv")
    return copy


@pytest.mark.skipif(not (PROJECT / ".venv" / "bin" / "python").exists(), reason="needs the project's .venv")
def test_make_run_serves_status(fresh_copy):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("NETBOX_CONFIGURATION", "DJANGO_SETTINGS_MODULE")}
    env["USERSCRIPTS_ADMIN_PASSWORD"] = "tour-password"
    # -o: the shared virtualenv counts as installed; never reinstall it from the copy
    proc = subprocess.Popen(["make", "-o", ".venv/.installed", "run", f"PORT={port}"], cwd=fresh_copy, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output = []
    try:
        token = None
        deadline = time.monotonic() + 180
        while token is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output.append(line)
            match = re.search(r"API token: (\w+)", line)
            token = match.group(1) if match else None
        assert token, "".join(output)
        status = None
        while time.monotonic() < deadline:
            try:
                status = requests.get(f"http://127.0.0.1:{port}/api/status/",
                                      headers={"Authorization": f"Token {token}"}, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        assert status is not None and status.status_code == 200, "".join(output)
        data = status.json()
        assert data["netbox-version"] and "dcim" in data["installed-apps"]
        assert data["userscripts"]["failed"] == []
        assert set(data["userscripts"]["loaded"]) >= {"change_log", "free_ips", "protect_active"}
        assert (fresh_copy / "data" / "netbox.sqlite3").exists()
        assert requests.get(f"http://127.0.0.1:{port}/api/status/", timeout=5).status_code == 401
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
