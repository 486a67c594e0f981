"""Receivers that raised, kept where people look: the request that ran them, and their module's row.

A receiver that raises is logged, and the operation goes on (the contract's failure rules,
``receivers``). That leaves the user who saved with a green "saved" and nothing else. So each
failure is also recorded

* on the request being served (``context.request()``), for the front end to warn the user
  who saved (the engine's middleware adds a Django message: ``failed_in``);
* per userscript module in this process, the last one, until a receiver of that module
  runs without raising (the pages' warning badge: ``last_error``).
"""
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone

from netbox_userscripts.hooks import context

REQUEST_ATTRIBUTE = "_userscripts_failed_receivers"


@dataclass(frozen=True)
class Failure:
    """One receiver call that raised: which module and receiver, on what, and the exception in one line."""

    script: str  # the userscript module's name, without ``.py``
    receiver: str
    signal: str
    sender: str
    error: str
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def describe(self):
        return f"{self.script}.py: {self.receiver} failed on {self.signal} of {self.sender}: {self.error}"

    def as_dict(self):
        return {"receiver": self.receiver, "signal": self.signal, "sender": self.sender, "error": self.error,
                "at": self.at.isoformat()}


class ReceiverFailures:
    """The last failure of each module in this process, and each request's failures."""

    def __init__(self):
        self._last = {}  # module name -> Failure
        self._lock = threading.Lock()

    def failed(self, failure):
        with self._lock:
            self._last[failure.script] = failure
        request = context.request()
        if request is not None:
            failures = getattr(request, REQUEST_ATTRIBUTE, None)
            if failures is None:
                failures = []
                setattr(request, REQUEST_ATTRIBUTE, failures)
            failures.append(failure)

    def succeeded(self, script):
        """A receiver of ``script`` ran without raising: its warning is over."""
        if script in self._last:  # the hot path: most modules never failed
            with self._lock:
                self._last.pop(script, None)

    def last_error(self, script):
        """The last failure of ``script``'s receivers in this process, or None since one succeeded."""
        return self._last.get(script)

    def forget(self, script):
        """The module was unloaded (its file deleted)."""
        with self._lock:
            self._last.pop(script, None)


def one_line(exc):
    """``ValueError: its message's first line``."""
    message = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {message[0]}" if message else exc.__class__.__name__


def failed_in(request):
    """The receiver failures recorded while ``request`` was served, oldest first."""
    return list(getattr(request, REQUEST_ATTRIBUTE, ()))


def warning_for(failures):
    """The message for the user whose action ran ``failures``: what failed, and that the action itself went on."""
    lines = list(dict.fromkeys(failure.describe() for failure in failures))  # a bulk edit repeats them
    shown = "; ".join(lines[:3]) + (f"; and {len(lines) - 3} more" if len(lines) > 3 else "")
    return (f"Done, but a userscript receiver failed (its changes were rolled back, yours were kept): {shown}. "
            "The traceback is in the userscripts log.")


receiver_failures = ReceiverFailures()
