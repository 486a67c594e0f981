"""The process table: each process's row (host, pid, role, start, version, modules), kept fresh.

A heartbeat thread in each process that serves or runs userscripts (server workers,
``runjob``/``runscript``, the task worker, NetBox's ``rqworker``) checks the recorded version
every second (``converge``), runs the chores the layers above gave it (``add_chore``: the
tasks outbox's hand-over) and writes its row every few seconds; a due interval sync runs on a
thread of its own (``intervalsync``), so a repository that does not answer never stops the row.
A row not refreshed for ``GONE_AFTER`` seconds is shown as gone and removed after
``REMOVE_AFTER``. The same write keeps the ``Userscript`` rows, one per module
(``moduletable``). The role comes from the command that started the process, or from
``start(role)`` (the worker's command).
"""
import atexit
import logging
import os
import socket
import sys
import threading
import time
from datetime import timedelta

from django.apps import apps
from django.db import DatabaseError, connection
from django.utils import timezone

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.fleet.intervalsync import interval_sync
from netbox_userscripts.fleet.moduletable import module_table
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log.survive import SurvivingLoop

ROLES = ("web", "worker", "rqworker", "command")
CHECK_EVERY = 1.0  # seconds between version checks: a sync is live everywhere within ~1 s plus the reload
REFRESH_EVERY = 3.0  # seconds between writes of this process's row
GONE_AFTER = 15  # seconds without a refresh: shown as gone
REMOVE_AFTER = 600  # seconds without a refresh: removed

logger = logging.getLogger("netbox_userscripts.processes")
chores = []  # callables of the layers above, run on every check (add_chore): the tasks outbox's hand-over
COMMAND_ROLES = {"runjob": "command", "runscript": "command", "userscripts_worker": "worker", "rqworker": "rqworker"}


def role_from_argv(argv=None):
    """The role of this process from how it was started, or None where no heartbeat belongs."""
    argv = sys.argv if argv is None else argv
    if os.environ.get("USERSCRIPTS_PROCESS_ROLE") in ROLES:
        return os.environ["USERSCRIPTS_PROCESS_ROLE"]
    if argv and os.path.basename(argv[0]).startswith("gunicorn"):
        return "web"
    if len(argv) > 1 and argv[1] == "runserver":
        return "web" if os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv else None
    if len(argv) > 1 and argv[1] in COMMAND_ROLES:
        return COMMAND_ROLES[argv[1]]
    return "web" if os.environ.get("USERSCRIPTS_WATCH") == "1" else None


class Heartbeat:
    """This process's row and the thread that refreshes it."""

    def __init__(self, role):
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}.")
        self.role = role
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.started = timezone.now()
        self._stop = threading.Event()
        self._thread = None
        self._guard = SurvivingLoop(logger, f"userscripts heartbeat of pid {self.pid}")
        self._last_write = 0.0
        self._misconfigured = False

    def start(self):
        self._thread = threading.Thread(target=self._run, name="userscripts-heartbeat", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        try:
            self.model().objects.filter(hostname=self.hostname, pid=self.pid, started=self.started).delete()
        except DatabaseError:
            pass  # the table is gone or unreachable: the row ages out

    @staticmethod
    def model():
        return apps.get_model("netbox_userscripts", "UserscriptProcess")

    def _run(self):
        while not apps.ready and not self._stop.wait(0.05):
            pass
        self._last_write = 0.0
        while not self._stop.is_set():
            # the database down or not migrated: logged once a minute per kind, tried again each second
            if self._guard.run(self.beat) is None:
                self._guard.run(connection.close)  # a broken connection is reopened at the next beat
            self._stop.wait(CHECK_EVERY)

    def beat(self):
        """One turn: follow the recorded version, write the row when it is due, run the chores; True when done."""
        self.follow()
        if time.monotonic() - self._last_write >= REFRESH_EVERY:
            self.write()
            self._last_write = time.monotonic()
        for chore in chores:
            chore()
        return True

    def follow(self):
        """Start a sync when due (on its own thread), move to the recorded version; a wrong setting is logged once
        and the row still written."""
        try:
            interval_sync.start_if_due()
            convergence.ensure_current()
        except ConfigurationError as exc:
            if not self._misconfigured:
                self._misconfigured = True
                logger.error("userscripts heartbeat of pid %s: %s", self.pid, exc)

    def write(self):
        """Write this process's row now; remove rows not refreshed for ``REMOVE_AFTER`` seconds."""
        modules = registry.modules()
        now = timezone.now()
        model = self.model()
        model.objects.update_or_create(
            hostname=self.hostname, pid=self.pid, started=self.started,
            defaults={"role": self.role, "version": convergence.version, "last_seen": now,
                      "loaded": [m.name for m in modules if m.loaded],
                      "failed": [m.name for m in modules if not m.loaded]})
        model.objects.filter(last_seen__lt=now - timedelta(seconds=REMOVE_AFTER)).delete()
        module_table.record(modules)


_heartbeat = None
_lock = threading.Lock()


def start(role):
    """Start this process's heartbeat as ``role`` (web, worker, rqworker, command); later calls change the role."""
    global _heartbeat
    with _lock:
        if _heartbeat is not None and _heartbeat.pid == os.getpid():
            _heartbeat.role = role if role in ROLES else _heartbeat.role
            return _heartbeat
        _heartbeat = Heartbeat(role).start()
        if hasattr(os, "register_at_fork") and not getattr(start, "_fork_hook", False):
            start._fork_hook = True
            os.register_at_fork(after_in_child=_restart_in_child)
        return _heartbeat


def add_chore(chore):
    """Run ``chore()`` on every heartbeat check (each second) of every process that has one; once per chore."""
    if chore not in chores:
        chores.append(chore)


def current():
    return _heartbeat


def stop():
    global _heartbeat
    with _lock:
        if _heartbeat is not None:
            _heartbeat.stop()
            _heartbeat = None


def _restart_in_child():
    """A forked worker (gunicorn --preload, rqworker's job child) has no heartbeat thread: its own row."""
    global _heartbeat
    if _heartbeat is not None:
        role, _heartbeat = _heartbeat.role, None
        if role == "web":  # rqworker's child per job lives seconds: its parent's row stands for it
            start(role)


def autostart():
    """Called at start-up: a heartbeat in every process that serves or runs userscripts."""
    convergence.start_from_disk()
    role = role_from_argv()
    if role is not None:
        start(role)
        atexit.register(stop)
    return _heartbeat
