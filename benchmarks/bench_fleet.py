"""Figure 13: sync-to-live latency across two hosts: from ``userscripts_sync`` returning to every worker answering.

Two instance folders (each its own ``USERSCRIPTS_ROOT`` and two gunicorn workers) share one
database and one git repository. Each round commits a new version, syncs it from one host
and polls ``/userscript/`` on both until every worker answers with it. The version check
runs in each process's heartbeat thread, not in the request path, so figure 2's request
overhead is unchanged by it.
"""
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests
from dulwich import porcelain
from dulwich.repo import Repo

from benchmarks.common import PROJECT, SANDBOX, WORK, Figure, summary

GUNICORN = Path(sys.executable).with_name("gunicorn")
SCRIPT = "import os\nVERSION = {n}\n\ndef call(**kwargs):\n    return f'{{VERSION}} {{os.getpid()}}'\n"
WORKERS = 2


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _commit(origin, n):
    (origin / "which.py").write_text(SCRIPT.format(n=n))
    porcelain.add(str(origin), paths=[str(origin / "which.py")])
    porcelain.commit(str(origin), message=f"v{n}".encode(), author=b"B <b@example.org>", committer=b"B <b@example.org>")


def _host(name, origin, database):
    folder = WORK / name
    (folder / "userscripts").mkdir(parents=True)
    config = folder / "configuration.py"
    config.write_text(f"SECRET_KEY = 'bench'\nALLOWED_HOSTS = ['*']\nLOGIN_REQUIRED = False\n"
                      "USERSCRIPTS_ANONYMOUS_CALLS = ['which']\n"
                      f"USERSCRIPTS_ROOT = {str(folder / 'userscripts')!r}\n"
                      f"USERSCRIPTS_LOG_FILE = {str(folder / 'u.log')!r}\nDATABASE = {database!r}\n"
                      f"USERSCRIPTS_GIT = {{'url': {str(origin)!r}, 'branch': 'main'}}\n")
    return {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings",
            "PYTHONPATH": str(SANDBOX)}


def _manage(env, *args):
    subprocess.run([sys.executable, str(SANDBOX / "manage.py"), *args], cwd=PROJECT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _all_on(bases, n, deadline):
    """Poll until every worker of every host answers version ``n``; False past the deadline."""
    while time.monotonic() < deadline:
        ok = True
        for base in bases:
            try:
                seen = [requests.get(f"{base}/userscript/?script=which", timeout=2,
                                     headers={"Connection": "close"}).text for _ in range(12)]
            except requests.RequestException:
                ok = False
                break
            if not all(s.startswith(f"{n} ") for s in seen) or len({s.split()[-1] for s in seen}) < WORKERS:
                ok = False
                break
        if ok:
            return True
        time.sleep(0.05)
    return False


def run(rounds=8):
    origin = WORK / "origin"
    origin.mkdir()
    Repo.init(str(origin)).refs.set_symbolic_ref(b"HEAD", b"refs/heads/main")
    _commit(origin, 0)
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(WORK / "shared.sqlite3")}
    hosts = [_host(name, origin, database) for name in ("host-a", "host-b")]
    _manage(hosts[0], "migrate", "--no-input")
    _manage(hosts[0], "userscripts_sync")
    servers, bases = [], []
    try:
        for env in hosts:
            port = _free_port()
            servers.append(subprocess.Popen(
                [str(GUNICORN), "--pythonpath", str(SANDBOX), "netbox.wsgi", "-w", str(WORKERS),
                 "-b", f"127.0.0.1:{port}", "--log-level", "warning"], cwd=PROJECT, env=env, start_new_session=True))
            bases.append(f"http://127.0.0.1:{port}")
        assert _all_on(bases, 0, time.monotonic() + 60), "the servers did not start on the first version"
        latencies, missed = [], 0
        for n in range(1, rounds + 1):
            _commit(origin, n)
            _manage(hosts[n % 2], "userscripts_sync")
            synced = time.monotonic()
            if _all_on(bases, n, synced + 10):
                latencies.append(time.monotonic() - synced)
            else:
                missed += 1
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
    worst = max(latencies) if latencies and not missed else float("inf")
    return [Figure("13", "Sync-to-live latency across 2 hosts x 2 workers, max (p50 in details)", round(worst, 3),
                   "max <= 5 s", worst <= 5.0, "s",
                   {"p50": round(statistics.median(latencies), 3) if latencies else None,
                    "rounds": rounds, "missed": missed, "latencies": summary(latencies) if latencies else {}})]
