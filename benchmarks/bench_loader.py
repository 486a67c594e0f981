"""Figure 6: start-up with 1,000 userscripts over start-up with none, and hot-reload latency."""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import PROJECT, WORK, Figure, summary

SCRIPT = """
from django.contrib.auth.models import Group
from netbox_userscripts.signals import post_save

def saved_{n}(sender, instance, **kwargs):
    logger.info("group %s saved", instance)

post_save.connect(saved_{n}, sender=Group)

def call(**kwargs):
    return "{n}"
"""
STARTUP = "import django, time; t = time.perf_counter(); django.setup(); print(time.perf_counter() - t)"


def _config(folder, root):
    path = folder / "configuration.py"
    path.write_text(f"SECRET_KEY = 'bench'\nUSERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_AUTORELOAD = False\n"
                    f"USERSCRIPTS_LOG_FILE = {str(folder / 'u.log')!r}\n"
                    f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(folder / 'db.sqlite3')!r}}}\n")
    return path


def _startup(config):
    env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", STARTUP], cwd=PROJECT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def startup(rounds=5):
    with tempfile.TemporaryDirectory() as none_dir, tempfile.TemporaryDirectory() as many_dir:
        none_dir, many_dir = Path(none_dir), Path(many_dir)
        (none_dir / "scripts").mkdir()
        (many_dir / "scripts").mkdir()
        for n in range(1000):
            (many_dir / "scripts" / f"script_{n:04d}.py").write_text(SCRIPT.format(n=n))
        empty, full = _config(none_dir, none_dir / "scripts"), _config(many_dir, many_dir / "scripts")
        base, cand = [], []
        for _ in range(rounds):
            base.append(_startup(empty))
            cand.append(_startup(full))
    added = statistics.median(cand) - statistics.median(base)
    return Figure("6a", "Loader: start-up with 1,000 userscripts, added over none", round(added, 3), "<= 2 s",
                  added <= 2.0, "s", {"none": summary(base), "1000": summary(cand)})


def reload_latency(edits=50):
    """From file write to new behaviour, with the inotify watcher of a serving process."""
    from netbox_userscripts.loading import reloader
    from netbox_userscripts.loading.registry import registry

    root = WORK / "reload-scripts"
    root.mkdir(exist_ok=True)
    registry.load_all(root)
    watcher = reloader.Reloader(registry, root).start()
    latencies = []
    try:
        for version in range(edits):
            tmp = root / ".latency.py.tmp"
            tmp.write_text(f"def call(**kwargs):\n    return {version}\n")
            started = time.perf_counter()
            os.replace(tmp, root / "latency.py")
            while True:
                call = registry.callable("latency")
                if call is not None and call() == version:
                    break
                if time.perf_counter() - started > 5:
                    break
                time.sleep(0.001)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)
    finally:
        watcher.stop()
        registry.unload_all()
    latencies.sort()
    p50, p99 = statistics.median(latencies), latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Figure("6b", "Hot reload: file write to new behaviour, p50 (p99 in details)", round(p50 * 1000, 1),
                  "p50 <= 300 ms, p99 <= 1 s", p50 <= 0.3 and p99 <= 1.0, "ms",
                  {"p99_ms": round(p99 * 1000, 1), "max_ms": round(latencies[-1] * 1000, 1), "edits": edits,
                   "watcher": "inotify"})


def run():
    return [startup(), reload_latency()]
