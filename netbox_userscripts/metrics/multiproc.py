"""prometheus-client's multi-process mode: every process of a host writes its figures to one folder.

``PROMETHEUS_MULTIPROC_DIR`` is read when prometheus-client is first imported (it picks its
value class then). Inside NetBox it is in the environment before NetBox starts, as NetBox's
documentation says. The sandbox's settings set it from the log folder they read, and the
engine's package (imported by the settings' checks) has imported prometheus-client by then: so
``prepare()`` picks the value class again, before any of the engine's metrics has a value (they
all have labels: a child, and its value, is made at its first use). ``prepare()`` then, in each
process: creates the folder, forgets the live gauges of this host's processes that are gone
(a killed worker's ``atexit`` never ran) and marks this process dead when it exits. Counters
and histograms of ended processes stay: a scrape's sums never go down.
"""
import atexit
import os
import re
from pathlib import Path

from prometheus_client import multiprocess, values

ENVIRONMENT = "PROMETHEUS_MULTIPROC_DIR"
PID_IN_NAME = re.compile(r"_(\d+)\.db$")


def folder():
    """The multi-process folder of this host, or None (one process: the default registry)."""
    value = os.environ.get(ENVIRONMENT) or os.environ.get(ENVIRONMENT.lower())
    return Path(value) if value else None


def prepare():
    """Set this process up in the folder (nothing without one); return the folder."""
    path = folder()
    if path is None:
        return None
    path.mkdir(parents=True, exist_ok=True)
    values.ValueClass = values.get_value_class()  # multi-process values from now on (see the docstring)
    for pid in dead_pids(path):
        multiprocess.mark_process_dead(pid, str(path))
    atexit.register(multiprocess.mark_process_dead, os.getpid(), str(path))
    return path


def dead_pids(path):
    """The pids of the live-gauge files in ``path`` whose process no longer runs on this host."""
    pids = {int(m.group(1)) for f in path.glob("gauge_live*.db") if (m := PID_IN_NAME.search(f.name))}
    return sorted(pid for pid in pids if not _alive(pid))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # somebody else's process: alive
        return True
    return True
