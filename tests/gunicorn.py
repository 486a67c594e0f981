"""The sandbox project served by real gunicorn workers for a test: its configuration file, a free port, clean stop.

``with serve(config, workers=2) as base:`` starts gunicorn on ``netbox.wsgi`` in its own
process group and stops the whole group afterwards; ``wait_until`` polls a server that may
still be starting on a busy machine.
"""
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

from tests.project import PROJECT, SANDBOX, environment

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_atomically(path, text):
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def fresh_database(name):
    """A new PostgreSQL database ``name`` on this run's server (``tests/pgserver.py``) as a ``DATABASE`` value
    for ``write_configuration``; None without one (SQLite)."""
    server = os.environ.get("USERSCRIPTS_TEST_POSTGRES")
    if not server:
        return None
    host, port = server.rsplit(":", 1)
    with psycopg.connect(host=host, port=int(port), user="postgres", dbname="postgres", autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return f"{{'ENGINE': 'django.db.backends.postgresql', 'NAME': {name!r}, 'USER': 'postgres', " \
           f"'HOST': {host!r}, 'PORT': {int(port)}}}"


def write_configuration(tmp_path, root, database=None, extra="", anonymous_calls=()):
    """A ``configuration.py`` serving ``root`` with a log and (by default) an SQLite database in ``tmp_path``;
    no login required, and anyone may call the userscripts ``anonymous_calls``."""
    database = database or f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(tmp_path / 'db.sqlite3')!r}}}"
    config = tmp_path / "configuration.py"
    config.write_text(f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(tmp_path / 'u.log')!r}\n"
                      f"DATABASE = {database}\nLOGIN_REQUIRED = False\nSECRET_KEY = 'test'\n"
                      f"USERSCRIPTS_ANONYMOUS_CALLS = {list(anonymous_calls)!r}\n{extra}")
    return config


@contextlib.contextmanager
def serve(config, workers=1, env=None):
    """Run gunicorn with ``config``; yields the base URL (the caller waits for it to answer)."""
    port = free_port()
    command = [str(GUNICORN), "--pythonpath", str(SANDBOX), "netbox.wsgi", "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=PROJECT, env=env or environment(config), start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def wait_until(answered, timeout=30, message="gunicorn did not start"):
    """Call ``answered()`` until it is true; connection errors count as "not yet"."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if answered():
                return
        except (requests.ConnectionError, requests.Timeout):  # a worker still starting on a busy machine
            pass
        assert time.monotonic() < deadline, message
        time.sleep(0.1)
