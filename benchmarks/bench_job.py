"""Figure 4: the "create 1 site + 100 devices" job over bare Django; a cold ``runjob`` over a cold start-up.

4a is the whole ``run_job`` call (JobResult, transaction, ``run()``, log) over bare Django
doing the same work (the same site, get-or-creates and 100 ``full_clean()`` + ``save()``
in one transaction) in this process, the two interleaved in pairs; the absolute time per
device is in the details. 4b is a cold ``manage.py runjob --commit`` process over a cold
``manage.py version`` of the same project and configuration, the two interleaved in pairs:
the start-up floor (Python, Django, the project's apps, the engine loading the folder) that
any command pays. Not ``manage.py check``: it runs Django's system checks (every URL
pattern, every model), which ``runjob`` skips as ``migrate`` does, and took 1.6-2x a
``version`` here, more than the whole ``runjob``. A ratio, which a busy machine moves far
less than an absolute time (4b was 1.59 s against 1.5 s on a loaded 2-core machine, 1.40 s
when quiet). NetBox 4.7 takes about 40 ms per device and Nautobot 3.2 about 48 ms on this
machine class.
"""
import os
import statistics
import subprocess
import sys
import time

from benchmarks.common import PROJECT, SANDBOX, WORK, Figure, paired_ratio, summary

START = ("version",)  # a command that only starts: Django set up, the engine started, no system checks
COLD_TARGET = 2.0  # runjob: start-up plus the job (100 devices) and its result, at most as much again
JOB = '''
from dcim.choices import DeviceStatusChoices
from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from extras.scripts import IntegerVar, Script, StringVar


class CreateDevices(Script):
    class Meta:
        name = "Create a site and its devices"

    site_name = StringVar()
    count = IntegerVar(default=100, min_value=1, max_value=10000)

    def run(self, data, commit):
        site = Site.objects.create(name=data["site_name"], slug=data["site_name"].lower().replace(" ", "-"))
        maker, _ = Manufacturer.objects.get_or_create(name="Bench", slug="bench")
        dtype, _ = DeviceType.objects.get_or_create(manufacturer=maker, model="Switch", slug="switch")
        role, _ = DeviceRole.objects.get_or_create(name="Access", slug="access")
        for i in range(data["count"]):
            device = Device(name=f"{site.slug}-sw{i:03d}", site=site, device_type=dtype, role=role,
                            status=DeviceStatusChoices.STATUS_ACTIVE)
            device.full_clean()
            device.save()
        self.log_success(f"Created {data['count']} devices at {site}")
        return f"{data['count']} devices"
'''


def bare_django(site_name, count=100):
    """What the job's ``run()`` does, as plain Django code in one transaction."""
    from django.db import transaction

    from dcim.choices import DeviceStatusChoices
    from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site

    with transaction.atomic():
        site = Site.objects.create(name=site_name, slug=site_name.lower().replace(" ", "-"))
        maker, _ = Manufacturer.objects.get_or_create(name="Bench", slug="bench")
        dtype, _ = DeviceType.objects.get_or_create(manufacturer=maker, model="Switch", slug="switch")
        role, _ = DeviceRole.objects.get_or_create(name="Access", slug="access")
        for i in range(count):
            device = Device(name=f"{site.slug}-sw{i:03d}", site=site, device_type=dtype, role=role,
                            status=DeviceStatusChoices.STATUS_ACTIVE)
            device.full_clean()
            device.save()


class NoopJob:
    SOURCE = '''
from extras.scripts import Script


class Noop(Script):
    def run(self, data, commit):
        return "ok"
'''


def run(rounds=15):
    from netbox_userscripts.jobs.runner import run_job
    from netbox_userscripts.loading.registry import registry

    root = WORK / "job-scripts"
    root.mkdir(exist_ok=True)
    (root / "bench_job.py").write_text(JOB)
    (root / "bench_noop.py").write_text(NoopJob.SOURCE)
    registry.load_all(root)
    job = registry.get_job("bench_job.CreateDevices")
    noop = registry.get_job("bench_noop.Noop")
    assert job is not None and noop is not None, registry.describe()
    bare_run("Warm-up site", bare_django)  # both sides start with warm caches
    run_job(job, {"site_name": "Warm-up job site", "count": 100}, commit=True)
    per_device, bare_per_device, overhead = [], [], []
    for i in range(rounds):
        sides = ("bare", "job") if i % 2 == 0 else ("job", "bare")
        for side in sides:
            if side == "bare":
                bare_per_device.append(bare_run(f"Bare site {i}", bare_django) / 100)
                continue
            started = time.perf_counter()
            result = run_job(job, {"site_name": f"Bench site {i}", "count": 100}, commit=True)
            per_device.append((time.perf_counter() - started) / 100)
            assert result.status == "completed", result.traceback
        started = time.perf_counter()
        run_job(noop, {}, commit=True)
        overhead.append(time.perf_counter() - started)
    registry.unload_all()
    starts, runjobs = _cold_processes(root)
    cold_ratio = paired_ratio(starts, runjobs)
    ratio = paired_ratio(bare_per_device, per_device)
    return [
        Figure("4a", "Job: create 1 site + 100 devices, over bare Django doing the same (SQLite)", round(ratio, 3),
               "<= 1.5", ratio <= 1.5, "x",
               {"job_ms_per_device": round(statistics.median(per_device) * 1000, 3),
                "bare_ms_per_device": round(statistics.median(bare_per_device) * 1000, 3),
                "job_per_device_s": summary(per_device), "bare_per_device_s": summary(bare_per_device),
                "noop_job_ms": round(statistics.median(overhead) * 1000, 3)}),
        Figure("4b", "Job: a cold manage.py runjob of that job, over a cold manage.py version of the same project",
               round(cold_ratio, 3), f"<= {COLD_TARGET}", cold_ratio <= COLD_TARGET, "x",
               {"runjob_s": summary(runjobs), "version_s": summary(starts)}),
    ]


def bare_run(site_name, work):
    started = time.perf_counter()
    work(site_name)
    return time.perf_counter() - started


def _cold_processes(root, rounds=5):
    """Wall times of cold ``manage.py version`` and ``manage.py runjob`` processes, interleaved in pairs."""
    config = WORK / "runjob_configuration.py"
    config.write_text(f"SECRET_KEY = 'bench'\nUSERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_AUTORELOAD = False\n"
                      f"USERSCRIPTS_LOG_FILE = {str(WORK / 'logs' / 'userscripts.log')!r}\n"
                      f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', "
                      f"'NAME': {str(WORK / 'bench.sqlite3')!r}}}\n")
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings"}
    starts, runjobs = [], []
    for i in range(rounds):
        data = '{"site_name": "Wall site %d", "count": 100}' % i
        runjob = ("runjob", "--commit", "--data", data, "local/bench_job/CreateDevices")
        for command in (START, runjob) if i % 2 == 0 else (runjob, START):
            (starts if command == START else runjobs).append(_wall(command, env))
    return starts, runjobs


def _wall(command, env):
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(SANDBOX / "manage.py"), *command], cwd=PROJECT, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return wall
