"""Figure 14: what the metrics cost a save, and figure 1 again with them on ("1m").

A Device save with one userscript, one receiver that logs the device, with ``METRICS_ENABLED``
(prometheus-client's multi-process mode in the log's folder, as the sandbox sets it up) over
the same save with it off. Each side in its own process on an in-memory SQLite database, as
figure 1 measures (``bench_save``); the figure is the median of the rounds' ratios.
"""
import statistics
import tempfile
from pathlib import Path

from benchmarks import bench_save
from benchmarks.common import Figure, paired_ratio, summary

LOGGING = """
from django.dispatch import receiver
from dcim.models import Device
from netbox_userscripts.signals import post_save


@receiver(post_save, sender=Device)
def device_saved(sender, instance, **kwargs):
    logger.info("%s saved", instance)
"""


def metrics_on_over_off(rounds=7):
    off, on = [], []
    for i in range(rounds):
        for enabled in ((False, True) if i % 2 == 0 else (True, False)):
            with tempfile.TemporaryDirectory() as folder:
                config = bench_save._config(Path(folder), bare=False, scripts={"device_log.py": LOGGING},
                                            extra=[f"METRICS_ENABLED = {enabled}"])
                (on if enabled else off).append(bench_save._worker("engine", config, modules=1))
    ratio = paired_ratio(off, on)
    return Figure("14", "Metrics cost: Device save with 1 logging receiver, metrics on over off",
                  round(ratio, 3), "<= 1.05", ratio <= 1.05, "x",
                  {"off_us": round(statistics.median(off) * 1e6, 1), "on_us": round(statistics.median(on) * 1e6, 1),
                   "off": summary(off), "on": summary(on)})


def run():
    return [metrics_on_over_off(), *bench_save.run(metrics=True)]
