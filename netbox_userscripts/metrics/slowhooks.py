"""Slow hooks named while they run: a receiver, ``call()`` or task past ``USERSCRIPTS_SLOW_HOOK_SECONDS``.

Each run of userscript code is put in one registry (``running.enter``/``running.exit``: a
dict assignment and a removal, no timer, no thread per call). One daemon thread, started by
the first run, looks at the registry a few times per threshold; a run older than the
threshold gets ONE warning in its module's log naming what runs, on which object, for how
long, and where it is now: its thread's current stack (``sys._current_frames()``). The
run goes on; the warning says where it is slow while it still is, not after.
"""
import sys
import threading
import time
import traceback

from netbox_userscripts.conf import setting
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.log import central as log
from netbox_userscripts.log.survive import SurvivingLoop

SETTING = "USERSCRIPTS_SLOW_HOOK_SECONDS"


def checked_threshold(value):
    """The setting's value: seconds > 0, or None (0) for no warning; anything else raises ``ConfigurationError``."""
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigurationError(f"{SETTING} must be a number of seconds > 0 (0 or None: no warning), got {value!r}.")
    return float(value)


class Run:
    """One run of userscript code: what, on which object, in which thread, since when."""

    __slots__ = ("started", "thread", "kind", "module", "name", "target", "warned")

    def __init__(self, kind, module, name, target):
        self.started = time.monotonic()
        self.thread = threading.get_ident()
        self.kind, self.module, self.name, self.target = kind, module, name, target
        self.warned = False


class RunningHooks:
    """The runs of userscript code in this process, and the one watchdog thread that names the slow ones."""

    def __init__(self):
        self.threshold = 5.0
        self._runs = {}  # id(run) -> Run
        self._thread = None
        self._lock = threading.Lock()
        self._guard = SurvivingLoop("netbox_userscripts.metrics", "userscripts slow-hook watchdog")

    def configure(self, threshold=None):
        self.threshold = checked_threshold(setting(SETTING) if threshold is None else threshold)

    def enter(self, kind, module, name, target=None):
        """Register a run starting now; returns the token ``exit`` takes (None when slow hooks are not watched)."""
        if self.threshold is None:
            return None
        run = Run(kind, module, name, target)
        self._runs[id(run)] = run
        if self._thread is None:
            self._start()
        return run

    def exit(self, run):
        if run is not None:
            self._runs.pop(id(run), None)

    def _start(self):
        with self._lock:
            if self._thread is None:
                thread = threading.Thread(target=self._watch, name="userscripts-slow-hooks", daemon=True)
                thread.start()
                self._thread = thread

    def _watch(self):
        while True:
            threshold = self.threshold or 5.0
            time.sleep(min(max(threshold / 4, 0.05), 1.0))
            self._guard.run(self.check)

    def check(self, now=None):
        """Warn once about each run older than the threshold; return the runs warned about."""
        if self.threshold is None:
            return []
        now = time.monotonic() if now is None else now
        slow = [run for run in list(self._runs.values()) if not run.warned and now - run.started >= self.threshold]
        if slow:
            frames = sys._current_frames()
            for run in slow:
                run.warned = True
                self._warn(run, now - run.started, frames.get(run.thread))
        return slow

    def _warn(self, run, seconds, frame):
        where = "".join(traceback.format_stack(frame)).rstrip() if frame is not None else "(its thread ended)"
        on = f" on {_describe(run.target)}" if run.target is not None else ""
        log.logger_for(run.module).warning(
            "slow %s: %s%s has run for %.1f s (%s = %s) and still runs, now at:\n%s",
            run.kind, run.name, on, seconds, SETTING, _seconds(self.threshold), where)


def _describe(target):
    try:
        return repr(target)
    except Exception as exc:  # a repr that needs what the running hook holds, or fails
        return f"{type(target).__name__} (its repr failed: {type(exc).__name__})"


def _seconds(value):
    return f"{value:g}"


running = RunningHooks()
