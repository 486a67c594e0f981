"""What every figure shares: a throw-away project set-up, interleaved timing, a result row.

Timing is the standard library's ``time.perf_counter``; each figure runs its baseline and
its candidate interleaved over many short rounds. The figure is the median of the ratios
of each round's pair (baseline and candidate timed back to back), not the ratio of two
medians: a slow moment of a busy machine lands on both halves of a pair and cancels, where
two separately taken medians can drift apart. Medians and min/max of each side are kept
in the details for reference.
"""
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SANDBOX = PROJECT / "sandbox"  # the NetBox-like project: manage.py, netbox, dcim, ...
WORK = Path(os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="userscripts-bench-"))


@dataclass
class Figure:
    number: str
    name: str
    value: float
    target: str
    passed: bool
    unit: str = ""
    details: dict = field(default_factory=dict)

    def row(self):
        return asdict(self)


def write_configuration(name="configuration.py", **overrides):
    """A configuration file for a benchmark process: its own folder, database and log."""
    root = WORK / "userscripts"
    root.mkdir(parents=True, exist_ok=True)
    values = {
        "SECRET_KEY": "bench",
        "ALLOWED_HOSTS": ["*"],
        "LOGIN_REQUIRED": False,
        "USERSCRIPTS_ANONYMOUS_CALLS": ["bench_call"],  # bench_call's anonymous GETs
        "USERSCRIPTS_ROOT": str(root),
        "USERSCRIPTS_LOG_FILE": str(WORK / "logs" / "userscripts.log"),
        "USERSCRIPTS_AUTORELOAD": False,
        "DATABASE": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(WORK / "bench.sqlite3")},
        **overrides,
    }
    path = WORK / name
    path.write_text("".join(f"{key} = {value!r}\n" for key, value in values.items()))
    return path


def setup_django(**overrides):
    """Configure and set up Django in this process with a benchmark configuration."""
    os.environ["NETBOX_CONFIGURATION"] = str(write_configuration(**overrides))
    os.environ["DJANGO_SETTINGS_MODULE"] = "netbox.settings"
    if str(PROJECT) not in sys.path:  # sandbox/ is on PYTHONPATH already (run.py)
        sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def timed(fn, *args):
    """Seconds ``fn(*args)`` takes, with the cyclic garbage collector paused, as ``timeit`` does.

    A full collection of a Django process's heap takes milliseconds and lands at random in
    one side or the other; paused, both sides are timed for their own work only.
    """
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        fn(*args)
        return time.perf_counter() - started
    finally:
        gc.enable()


def interleave(baseline, candidate, rounds=7):
    """Run ``baseline()`` and ``candidate()`` alternately, in pairs.

    Returns ``(baseline summary, candidate summary, paired ratio)`` where the paired ratio is
    the median over the rounds of candidate time / baseline time (seconds in the summaries).
    """
    base, cand = [], []
    for i in range(rounds):
        order = (baseline, candidate) if i % 2 == 0 else (candidate, baseline)
        for fn in order:
            (base if fn is baseline else cand).append(timed(fn))
    return summary(base), summary(cand), paired_ratio(base, cand)


def paired_ratio(base, cand):
    """The median of ``cand[i] / base[i]``: each round's candidate over its own baseline."""
    return statistics.median(c / b for b, c in zip(base, cand, strict=True))


def summary(samples):
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}
