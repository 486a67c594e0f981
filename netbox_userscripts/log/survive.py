"""Keeping a background thread alive: run its loop's body, log what it raised, go on.

The engine's long-running threads (the task worker's sweeper, the scheduler, the heartbeat,
the log stream's sender) each call ``guard.run(body)`` once per turn of their loop. A body
that raises (the database locked or restarting, Redis gone, a bug) does not end the thread:
its exception is logged with its traceback once per kind (its class) per
``every`` seconds, with the count of the repeats left out since, so a thread that fails
four times a second writes one record a minute, not 240. ``run`` returns what the body
returned, None if it raised.
"""
import logging
import threading
import time

REPORT_EVERY = 60.0  # seconds between two records of the same failure


class SurvivingLoop:
    """The failure rules of one thread's loop: ``run(body)`` never raises an ``Exception``."""

    def __init__(self, logger, what, every=REPORT_EVERY, clock=time.monotonic):
        self.logger = logger if isinstance(logger, logging.Logger) else logging.getLogger(logger)
        self.what = what  # says which thread failed, e.g. "userscripts task sweeper"
        self.every = every
        self.clock = clock
        self._last = {}  # failure kind -> (when last logged, repeats not logged since)
        self._lock = threading.Lock()

    def run(self, body, *args, **kwargs):
        """Call ``body(*args, **kwargs)`` and return its value; None if it raised (logged as the rules say)."""
        try:
            return body(*args, **kwargs)
        except Exception as exc:
            self.failed(exc)
            return None

    def failed(self, exc):
        """Log ``exc`` (with its traceback) unless the same kind was logged less than ``every`` seconds ago."""
        kind = (type(exc).__module__, type(exc).__qualname__)
        now = self.clock()
        with self._lock:
            logged_at, repeats = self._last.get(kind, (None, 0))
            if logged_at is not None and now - logged_at < self.every:
                self._last[kind] = (logged_at, repeats + 1)
                return
            self._last[kind] = (now, 0)
        since = f" ({repeats} more times since the last report)" if repeats else ""
        self.logger.error("%s failed: %s: %s; it goes on%s", self.what, type(exc).__name__, exc, since,
                          exc_info=(type(exc), exc, exc.__traceback__))
