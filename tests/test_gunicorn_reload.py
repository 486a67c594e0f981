"""Hot reload with several server processes: each gunicorn worker reloads by itself."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

PROJECT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
SCRIPT = "import os\ndef call(**kwargs):\n    return f'{version} {{os.getpid()}}'\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_atomically(path, text):
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_two_workers_each_reload(tmp_path):
    root = tmp_path / "scripts"
    root.mkdir()
    write_atomically(root / "which.py", SCRIPT.format(version="v1"))
    config = tmp_path / "configuration.py"
    config.write_text(
        f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(tmp_path / 'u.log')!r}\n"
        f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'db.sqlite3')!r}}}\n"
        "LOGIN_REQUIRED = False\nSECRET_KEY = 'test'\n"
    )
    port = free_port()
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings"}
    command = [str(GUNICORN), "netbox.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/userscript/?script=which"

    def answers(count):
        return [requests.get(url, timeout=5, headers={"Connection": "close"}).text for _ in range(count)]

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(url, timeout=2).text.startswith("v1"):
                    break
            except (requests.ConnectionError, requests.Timeout):  # a worker still starting on a busy machine
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.1)
        time.sleep(0.5)  # both workers up
        write_atomically(root / "which.py", SCRIPT.format(version="v2"))
        time.sleep(1.0)  # the contract: within one second, in every process
        after = answers(40)
        while len({a.split()[1] for a in after}) < 2 and len(after) < 400:
            after += answers(20)  # until both workers have answered
        assert all(a.startswith("v2 ") for a in after), after
        assert len({a.split()[1] for a in after}) == 2  # both workers answered, both reloaded
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
