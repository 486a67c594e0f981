"""/metrics sums every process of the host: two gunicorn workers and a task worker, prometheus-client's
multi-process mode in the folder the project's settings choose (under the log's folder, per host).

A receiver sleeping 200 ms runs in saves made by ``call()`` through both workers; each call enqueues a task
sleeping 200 ms that the worker runs; the scrape adds them all up. A slow save (the receiver sleeping 2 s past
``USERSCRIPTS_SLOW_HOOK_SECONDS = 0.5``) is named in the log before its request returns.
"""
import socket
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.gunicorn import serve, wait_until, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT, environment

SCRIPT = '''\
import os
import time

from dcim.models import Site
from django.db.models.signals import post_save
from netbox_userscripts.tasks import task


@task
def nap():
    time.sleep(0.2)


def sleepy(instance, **kwargs):
    time.sleep(2.0 if instance.slug.startswith("slow") else 0.2)


post_save.connect(sleepy, sender=Site)


def call(slug, **kwargs):
    Site.objects.create(name=slug, slug=slug)
    nap.enqueue()
    return os.getpid()
'''
RECEIVER = {"module": "probe", "receiver": "sleepy", "signal": "post_save", "sender": "dcim.Site"}


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("metrics")
    root = tmp / "scripts"
    root.mkdir()
    write_atomically(root / "probe.py", SCRIPT)
    config = write_configuration(tmp, root, anonymous_calls=["probe"], extra=(
        "METRICS_ENABLED = True\nUSERSCRIPTS_METRICS_TOKEN = 'scrape'\nUSERSCRIPTS_SLOW_HOOK_SECONDS = 0.5\n"))
    env = environment(config, USERSCRIPTS_WATCH_POLLING="0")
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    for app in ("django_tasks_database", "dcim", "netbox_userscripts"):
        subprocess.run([*MANAGE, "migrate", app, "--no-input"], cwd=PROJECT, env=env, check=True,
                       capture_output=True, timeout=120)
    worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.1"], cwd=PROJECT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with serve(config, workers=2, env=env) as base:
            wait_until(lambda: requests.get(f"{base}/metrics", headers=AUTH, timeout=5).ok)
            yield {"base": base, "tmp": tmp}
    finally:
        worker.terminate()
        worker.wait(timeout=15)


AUTH = {"Authorization": "Bearer scrape"}


def scrape(base):
    response = requests.get(f"{base}/metrics", headers=AUTH, timeout=10)
    assert response.status_code == 200, response.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_saves_through_two_workers_and_tasks_in_a_worker_are_summed(host):
    base = host["base"]
    calls = iter(range(1000))

    def save(_):
        response = requests.get(f"{base}/userscript/", params={"script": "probe", "slug": f"s{next(calls)}"},
                                timeout=30)
        assert response.status_code == 200, response.text
        return int(response.text)

    pids = set()
    with ThreadPoolExecutor(4) as pool:
        for _ in range(5):  # until both workers answered (the kernel picks who accepts)
            pids.update(pool.map(save, range(4)))
            if len(pids) == 2:
                break
    saves = next(calls)
    assert len(pids) == 2, "one worker took every request"
    metrics_folder = host["tmp"] / "metrics" / socket.gethostname()
    files = {f"counter_{pid}.db" for pid in pids}  # written at each worker's first hand-over, within a second
    deadline = time.monotonic() + 30
    while not files <= {p.name for p in metrics_folder.iterdir()} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert files <= {p.name for p in metrics_folder.iterdir()}

    deadline = time.monotonic() + 30
    while True:
        samples = scrape(base)
        tasks = value(samples, "userscripts_task_runs_total", module="probe", task="nap", status="successful")
        received = value(samples, "userscripts_receiver_calls_total", outcome="ok", **RECEIVER)
        if (tasks, received) == (saves, saves) or time.monotonic() > deadline:  # each worker hands over every second
            break
        time.sleep(0.2)
    assert tasks == saves, "the worker's task runs are not in /metrics"
    assert value(samples, "userscripts_receiver_calls_total", outcome="ok", **RECEIVER) == saves
    count = value(samples, "userscripts_receiver_duration_seconds_count", **RECEIVER)
    total = value(samples, "userscripts_receiver_duration_seconds_sum", **RECEIVER)
    assert count == saves and 0.19 <= total / count < 0.5  # about 200 ms each
    assert value(samples, "userscripts_receiver_duration_seconds_bucket", le="0.1", **RECEIVER) == 0
    assert value(samples, "userscripts_receiver_duration_seconds_bucket", le="0.5", **RECEIVER) == saves
    assert value(samples, "userscripts_task_duration_seconds_count", module="probe", task="nap") == saves
    assert value(samples, "userscripts_calls_total", module="probe", status="ok") == saves
    assert value(samples, "userscripts_modules", state="loaded") == 1
    versions = [labels for (name, labels), v in samples.items() if name == "userscripts_version_info" and v == 1]
    assert len(versions) == 1 and len(dict(versions[0])["commit"]) >= 8, versions  # the folder's hash in use


def test_a_slow_save_is_named_in_the_log_before_it_returns(host):
    log = host["tmp"] / "u.log"
    answered = {}

    def slow_save():
        requests.get(f"{host['base']}/userscript/", params={"script": "probe", "slug": "slow-1"}, timeout=30)
        answered["at"] = time.monotonic()

    thread = threading.Thread(target=slow_save)
    thread.start()
    seen = None
    deadline = time.monotonic() + 10
    while seen is None and time.monotonic() < deadline and "at" not in answered:
        if "slow receiver: sleepy on <Site: slow-1>" in log.read_text():
            seen = time.monotonic()
        time.sleep(0.05)
    thread.join()
    assert seen is not None and "at" in answered and seen < answered["at"], "no warning while the save ran"
    text = log.read_text()
    assert text.count("slow receiver: sleepy on <Site: slow-1>") == 1
    assert 'line 15, in sleepy' in text  # its stack, down to the sleep
