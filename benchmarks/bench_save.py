"""Figure 1: the cost the engine adds to a save.

Saving a Device with 100 userscripts loaded (one receiver on Device, the other 99 on
other models) over the same save in a bare Django process (the engine not installed)
with the same one receiver connected by hand. Each side runs in its own process, on an
in-memory SQLite database (a file database adds an fsync per save whose time varies by
more than the engine costs), with the cyclic garbage collector paused while timing as
``timeit`` does; each process reports its fastest of several batches of saves, the
processes of a round run back to back, and the figure is the median of the rounds' ratios.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import PROJECT, Figure, paired_ratio, summary

SAVES = 1000
MATCHING = """
from django.dispatch import receiver
from dcim.models import Device
from netbox_userscripts.signals import post_save

SEEN = []

@receiver(post_save, sender=Device)
def device_saved(sender, instance, created, **kwargs):
    SEEN.append(instance.pk)
    del SEEN[:-10]
"""
OTHER = """
from django.dispatch import receiver
from dcim.models import {model}
from netbox_userscripts.signals import post_save

@receiver(post_save, sender={model})
def saved_{n}(sender, instance, **kwargs):
    logger.info("%s saved", instance)
"""
OTHER_MODELS = ["Site", "Region", "Manufacturer", "DeviceType", "DeviceRole", "Platform", "Interface", "Cable"]

WORKER = r"""
import os, sys, time, statistics, json
sys.path.insert(0, {project!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "netbox.settings"
import django
django.setup()
import gc
from django.core.management import call_command
call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
mode = sys.argv[1]
if mode == "bare":
    from django.db.models.signals import post_save
    SEEN = []
    def device_saved(sender, instance, created, **kwargs):
        SEEN.append(instance.pk)
        del SEEN[:-10]
    post_save.connect(device_saved, sender=Device)
else:
    from netbox_userscripts.loading.registry import registry
    assert len([m for m in registry.modules() if m.loaded]) == {modules}, registry.describe()
site = Site.objects.create(name="Bench", slug="bench")
maker = Manufacturer.objects.create(name="Maker", slug="maker")
dtype = DeviceType.objects.create(manufacturer=maker, model="Box", slug="box")
role = DeviceRole.objects.create(name="Role", slug="role")
device = Device.objects.create(name="bench-1", site=site, device_type=dtype, role=role)
samples = []
for repeat in range(7):
    gc.collect()
    gc.disable()
    started = time.perf_counter()
    for i in range({saves}):
        device.serial = str(i)
        device.save()
    samples.append((time.perf_counter() - started) / {saves})
    gc.enable()
print(json.dumps(samples))
"""


def _config(folder, bare, scripts=None, extra=()):
    """The configuration of one side: ``scripts`` ({file name: source}) instead of figure 1's 100, ``extra`` lines."""
    root = folder / "scripts"
    root.mkdir()
    if scripts is None and not bare:
        scripts = {"device_hook.py": MATCHING}
        for n in range(99):
            model = OTHER_MODELS[n % len(OTHER_MODELS)]
            scripts[f"other_{n:02d}.py"] = OTHER.format(model=model, n=n)
    for name, source in (scripts or {}).items():
        (root / name).write_text(source)
    lines = [*extra,
        "SECRET_KEY = 'bench'", f"USERSCRIPTS_ROOT = {str(root)!r}", "USERSCRIPTS_AUTORELOAD = False",
        f"USERSCRIPTS_LOG_FILE = {str(folder / 'u.log')!r}",
        "DATABASE = {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}",
    ]
    from django.apps import apps

    # Tables made straight from the models: replaying every migration in each process is slow.
    lines.append(f"MIGRATION_MODULES = {dict.fromkeys((c.label for c in apps.get_app_configs()), None)!r}")
    if bare:  # the engine is not installed at all: no app, no middleware
        from django.conf import settings

        lines += [
            f"INSTALLED_APPS = {[a for a in settings.INSTALLED_APPS if a != 'netbox_userscripts']!r}",
            f"MIDDLEWARE = {[m for m in settings.MIDDLEWARE if not m.startswith('netbox_userscripts')]!r}",
        ]
    path = folder / "configuration.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def _worker(mode, config, modules=100):
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # the configuration's METRICS_ENABLED decides
    script = WORKER.format(project=str(PROJECT), saves=SAVES, modules=modules)
    out = subprocess.run([sys.executable, "-c", script, mode], env=env, capture_output=True, text=True, cwd=PROJECT)
    if out.returncode:
        raise RuntimeError(f"save benchmark worker ({mode}) failed:\n{out.stderr[-3000:]}")
    return min(json.loads(out.stdout.strip().splitlines()[-1]))


def run(rounds=7, metrics=False):
    """Figure 1; with ``metrics``, the engine's side has METRICS_ENABLED (multi-process mode, as in production)."""
    base, cand = [], []
    extra = ["METRICS_ENABLED = True"] if metrics else []
    for i in range(rounds):
        for mode in (("bare", "engine") if i % 2 == 0 else ("engine", "bare")):
            with tempfile.TemporaryDirectory() as folder:
                config = _config(Path(folder), bare=mode == "bare", extra=extra if mode == "engine" else ())
                (base if mode == "bare" else cand).append(_worker(mode, config))
    ratio = paired_ratio(base, cand)
    name = "Save overhead: Device save, 100 userscripts over bare Django + 1 receiver"
    return [Figure("1m" if metrics else "1", name + (", metrics on" if metrics else ""),
                   round(ratio, 3), "<= 1.10", ratio <= 1.10, "x",
                   {"bare_us": round(statistics.median(base) * 1e6, 1),
                    "engine_us": round(statistics.median(cand) * 1e6, 1),
                    "bare": summary(base), "engine": summary(cand)})]
