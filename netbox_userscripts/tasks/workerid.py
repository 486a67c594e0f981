"""Who ran a task: the worker id ``host:pid@start`` a run records, and whether that process still lives.

A pid alone does not name a process for long: a worker restarted in a container that keeps
its hostname usually gets the pid of the worker that was killed, and a run of the killed
one would then look alive forever. So the id carries the process's start time too, as the
kernel counts it (``/proc/PID/stat``: clock ticks since boot), and a run is alive only while
a process with that pid *and* that start exists. Where ``/proc`` is missing the id is
``host:pid`` and the pid alone decides, as before. People see ``host:pid`` only (``display``).
"""
import os
import socket
from dataclasses import dataclass

MAX_LENGTH = 64  # django-tasks-db's limit for a worker id


@dataclass(frozen=True)
class WorkerId:
    host: str
    pid: int
    start: int | None = None  # the process's start, in clock ticks since boot; None when unknown

    def __str__(self):
        return self.display if self.start is None else f"{self.display}@{self.start}"

    @property
    def display(self):
        return f"{self.host}:{self.pid}"


def worker_id():
    """This process's id, ``host:pid@start``, within ``MAX_LENGTH`` characters (the host name cut)."""
    pid, start = os.getpid(), process_start(os.getpid())
    tail = f":{pid}" + ("" if start is None else f"@{start}")
    return socket.gethostname()[:MAX_LENGTH - len(tail)] + tail


def parse(text):
    """The ``WorkerId`` in a recorded worker id (``host:pid`` or ``host:pid@start``), or None when it is neither."""
    host, _, last = (text or "").rpartition(":")
    pid, at, start = last.partition("@")
    if not pid.isdigit() or (at and not start.isdigit()):
        return None
    return WorkerId(host, int(pid), int(start) if start else None)


def process_start(pid):
    """When process ``pid`` started (clock ticks since boot, from ``/proc``), or None when that cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # the name in parentheses may hold spaces and parentheses: fields are counted after the last ")"
    fields = stat.rpartition(b")")[2].split()
    try:
        return int(fields[19])  # field 22 of proc(5), the first after the name being field 3
    except (IndexError, ValueError):
        return None


def is_alive(worker):
    """Whether the process ``worker`` (a ``WorkerId`` of this host) still runs: same pid, same start."""
    try:
        os.kill(worker.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        pass
    except OverflowError:  # not a pid this system can have
        return False
    if worker.start is None:
        return True
    now = process_start(worker.pid)
    return now is None or now == worker.start  # None: cannot tell, so not ended
