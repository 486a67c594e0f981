"""``make bench-netbox``: what the plugin costs on NetBox's own REST requests, as ratios (CONTRACT section 10).

Run by ``tests/netbox_plugin/harness.py bench`` with the NetBox virtualenv's Python, in a
NetBox process (the harness's environment: PostgreSQL, Redis, ``NETBOX_ROOT``). Two
``runserver`` processes on one database: NetBox without the plugin, and NetBox with it and a
typical userscript (a ``post_save`` receiver on ``Site`` that logs; the request signals on).
The same work goes to each in interleaved rounds, so drift on a shared machine hits both:
one site created, a list of 50 sites, a bulk ``PATCH`` of 50 sites. Each figure is the
median over the rounds with the plugin over the median without it. Target <= 1.02.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROUNDS = int(os.environ.get("BENCH_NETBOX_ROUNDS", "60"))
TARGET = 1.02
USERSCRIPT = '''\
from dcim.models import Site
from django.dispatch import receiver
from netbox_userscripts.signals import post_save


@receiver(post_save, sender=Site)
def site_saved(sender, instance, created, **kwargs):
    logger.info("site %s %s", instance.name, "created" if created else "edited")
'''


def netbox_command():
    return [str(Path(sys.executable).parent / "netbox")]


def start_server(env, port):
    process = subprocess.Popen([*netbox_command(), "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
                               env=env, cwd=env["NETBOX_ROOT"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=5).status_code == 200:
                return process
        except requests.RequestException:
            time.sleep(0.5)
    process.kill()
    raise SystemExit(f"the NetBox server on port {port} did not start")


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup():
    """The admin's token and 50 sites, through this process's ORM (NetBox without the plugin's userscripts)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
    import django

    django.setup()
    from users.models import Token, User

    from dcim.models import Site

    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "b@x.org", "pw")
    token = Token(user=admin, version=1, write_enabled=True)
    token.save()
    pks = [Site.objects.create(name=f"bench-{i}", slug=f"bench-{i}").pk for i in range(50)]
    return {"Authorization": token.get_auth_header_prefix() + token.token, "Accept": "application/json"}, pks


def one_round(url, headers, pks, round_number, label):
    timings = {}
    name = f"new-{label}-{round_number}"
    started = time.perf_counter()
    answer = requests.post(f"{url}/api/dcim/sites/", json={"name": name, "slug": name}, headers=headers, timeout=60)
    timings["create"] = time.perf_counter() - started
    answer.raise_for_status()
    started = time.perf_counter()
    requests.get(f"{url}/api/dcim/sites/?limit=50&name__isw=bench-", headers=headers, timeout=60).raise_for_status()
    timings["list"] = time.perf_counter() - started
    body = [{"id": pk, "description": f"{label} {round_number}"} for pk in pks]
    started = time.perf_counter()
    requests.patch(f"{url}/api/dcim/sites/", json=body, headers=headers, timeout=120).raise_for_status()
    timings["bulk_patch"] = time.perf_counter() - started
    return timings


def main():
    headers, pks = setup()
    folder = Path(tempfile.mkdtemp(prefix="userscripts-bench-netbox-"))
    (folder / "userscripts").mkdir()
    (folder / "userscripts" / "typical.py").write_text(USERSCRIPT)
    without = {**os.environ, "NBTEST_PLUGIN": "0"}
    with_plugin = {**os.environ, "NBTEST_PLUGIN": "1", "NBTEST_USERSCRIPTS_ROOT": str(folder / "userscripts"),
                   "NBTEST_USERSCRIPTS_LOG": str(folder / "logs" / "userscripts.log")}
    ports = {"without": free_port(), "with": free_port()}
    servers = [start_server(without, ports["without"]), start_server(with_plugin, ports["with"])]
    try:
        samples = {"without": [], "with": []}
        for label in samples:  # warm both up: first requests fill NetBox's caches
            for i in range(3):
                one_round(f"http://127.0.0.1:{ports[label]}", headers, pks, -1 - i, label)
        for round_number in range(ROUNDS):
            order = ["without", "with"] if round_number % 2 == 0 else ["with", "without"]
            for label in order:
                samples[label].append(one_round(f"http://127.0.0.1:{ports[label]}", headers, pks, round_number, label))
        log = folder / "logs" / "userscripts.log"
        assert log.exists() and "site new-with-0 created" in log.read_text(), "the userscript did not run"
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    rows = []
    for operation, what in (("create", "single-object create"), ("list", "list of 50"),
                            ("bulk_patch", "bulk PATCH of 50")):
        plain = statistics.median(s[operation] for s in samples["without"])
        plugin = statistics.median(s[operation] for s in samples["with"])
        ratio = plugin / plain
        rows.append({"figure": f"NetBox {what}: with the plugin / without", "value": round(ratio, 3),
                     "target": f"<= {TARGET}", "pass": ratio <= TARGET,
                     "details": f"median of {ROUNDS} interleaved rounds: {plugin * 1000:.1f} ms with, "
                                f"{plain * 1000:.1f} ms without"})
    for row in rows:
        print(f"{row['figure']:<55} {row['value']:>7} {row['target']:>8} {'PASS' if row['pass'] else 'FAIL'}  "
              f"({row['details']})")
    if os.environ.get("BENCH_NETBOX_RESULTS"):
        Path(os.environ["BENCH_NETBOX_RESULTS"]).write_text(json.dumps(rows, indent=2) + "\n")
    return 0 if all(row["pass"] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
