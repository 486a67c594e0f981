"""``make run`` on a fresh copy of the repository serves /api/status/.

The copy has the tracked files only (no data/, no logs/); it shares this checkout's
virtualenv, which ``make test`` has installed, so the test does not reinstall it.
"""
import os
import re
import shutil
import signal
import socket
import stat
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
        # data/ is its owner's alone; ensure_admin printed the token, not the password the operator chose
        data = fresh_copy / "data"
        modes = {name: stat.S_IMODE((data / name).stat().st_mode) for name in ("", "secret_key", "netbox.sqlite3")}
        assert modes == {"": 0o700, "secret_key": 0o600, "netbox.sqlite3": 0o600}
        assert "tour-password" not in "".join(output)
        assert requests.get(f"http://127.0.0.1:{port}/api/status/", timeout=5).status_code == 401
        for stylesheet in ("admin/css/base.css", "netbox_userscripts/pages.css"):  # the pages are styled
            css = requests.get(f"http://127.0.0.1:{port}/static/{stylesheet}", timeout=5)
            assert css.status_code == 200 and "text/css" in css.headers["Content-Type"], stylesheet
        check_runserver_reloads(fresh_copy, port, token)
        worker = re.search(r"Starting worker worker_id=\S+:(\d+)", "".join(output))
        while worker is None and time.monotonic() < deadline:  # the task worker beside the server
            output.append(proc.stdout.readline())
            worker = re.search(r"Starting worker worker_id=\S+:(\d+)", "".join(output))
        assert worker, "".join(output)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    gone = time.monotonic() + 15
    with pytest.raises(ProcessLookupError):  # the worker stopped with the server
        while time.monotonic() < gone:
            os.kill(int(worker.group(1)), 0)
            time.sleep(0.2)


def check_runserver_reloads(copy, port, token):
    """A userscript edit is reloaded by the engine, not by restarting runserver; a project edit restarts it."""
    url = f"http://127.0.0.1:{port}/userscript/?script=whoami"
    headers = {"Authorization": f"Token {token}"}

    def answer():
        try:
            response = requests.get(url, headers=headers, timeout=5)
        except requests.ConnectionError:  # restarting
            return None
        return response.text if response.status_code == 200 else None

    def wait_for(predicate, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = answer()
            if value and predicate(value):
                return value
            time.sleep(0.05)
        return answer()

    script = copy / "userscripts" / "whoami.py"
    script.write_text("import os\ndef call(**kwargs):\n    return f'v1 {os.getpid()}'\n")
    first = wait_for(lambda a: a.startswith("v1 "), timeout=5)
    assert first and first.startswith("v1 "), first
    pid = first.split()[1]
    script.write_text("import os\ndef call(**kwargs):\n    return f'v2 {os.getpid()}'\n")
    second = wait_for(lambda a: a.startswith("v2 "), timeout=1.5)
    assert second == f"v2 {pid}"  # reloaded within a second, by the same server process
    time.sleep(1.5)  # runserver's file poll would have restarted by now
    assert answer() == f"v2 {pid}"
    with open(copy / "sandbox" / "netbox" / "urls.py", "a") as f:
        f.write("\n# touched by the test\n")
    restarted = wait_for(lambda a: a.split()[1] != pid, timeout=20)
    assert restarted and restarted.split()[1] != pid  # a change to the project's own code restarts
