"""Figure 4: the "create 1 site + 100 devices" job over bare Django, and ``manage.py runjob`` wall time.

4a is the whole ``run_job`` call (JobResult, transaction, ``run()``, log) over bare Django
doing the same work (the same site, get-or-creates and 100 ``full_clean()`` + ``save()``
in one transaction) in this process, the two interleaved in pairs; the absolute time per
device is in the details. 4b is a cold ``manage.py runjob --commit`` process. NetBox 4.7
takes about 40 ms per device and Nautobot 3.2 about 48 ms on this machine class.
"""
import os
import statistics
import subprocess
import sys
import time

from benchmarks.common import PROJECT, SANDBOX, WORK, Figure, paired_ratio, summary

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
    wall = _runjob_wall(root)
    ratio = paired_ratio(bare_per_device, per_device)
    return [
        Figure("4a", "Job: create 1 site + 100 devices, over bare Django doing the same (SQLite)", round(ratio, 3),
               "<= 1.5", ratio <= 1.5, "x",
               {"job_ms_per_device": round(statistics.median(per_device) * 1000, 3),
                "bare_ms_per_device": round(statistics.median(bare_per_device) * 1000, 3),
                "job_per_device_s": summary(per_device), "bare_per_device_s": summary(bare_per_device),
                "noop_job_ms": round(statistics.median(overhead) * 1000, 3)}),
        Figure("4b", "Job: manage.py runjob wall time, cold process", round(wall, 3), "<= 1.5 s", wall <= 1.5, "s", {}),
    ]


def bare_run(site_name, work):
    started = time.perf_counter()
    work(site_name)
    return time.perf_counter() - started


def _runjob_wall(root, rounds=3):
    config = WORK / "runjob_configuration.py"
    config.write_text(f"SECRET_KEY = 'bench'\nUSERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_AUTORELOAD = False\n"
                      f"USERSCRIPTS_LOG_FILE = {str(WORK / 'logs' / 'userscripts.log')!r}\n"
                      f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', "
                      f"'NAME': {str(WORK / 'bench.sqlite3')!r}}}\n")
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings"}
    walls = []
    for i in range(rounds):
        data = '{"site_name": "Wall site %d", "count": 100}' % i
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(SANDBOX / "manage.py"), "runjob", "--commit", "--data", data,
                               "local/bench_job/CreateDevices"], cwd=PROJECT, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"runjob failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return statistics.median(walls)
