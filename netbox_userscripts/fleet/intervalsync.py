"""The interval's sync (``USERSCRIPTS_GIT["interval"]``) on a thread of its own, started by the heartbeat.

A fetch may wait for the repository up to its timeout; the heartbeat must not: it writes
this process's row every few seconds, and a row not written for ``GONE_AFTER`` seconds
makes the process look dead to every host. So the heartbeat only asks whether a sync is
due (one indexed update that also claims it) and hands the sync to this thread. A sync still
running when the next one is due is not doubled.
"""
import logging
import threading

from django.db import connection

from netbox_userscripts.fleet.origin import origin
from netbox_userscripts.fleet.sync import claim_due, sync

logger = logging.getLogger("netbox_userscripts.sync")


class IntervalSync:
    """Starts the interval's sync on its own thread when due; at most one such thread per process."""

    def __init__(self):
        self.thread = None

    def start_if_due(self, source=None):
        """Start the sync if the interval says so and none runs; the thread started, or None."""
        source = source or origin()
        if source is None or not source.interval or self.running:
            return None
        if not claim_due(source):
            return None  # not due, or another process claimed it
        self.thread = threading.Thread(target=self._run, args=(source,), name="userscripts-sync", daemon=True)
        self.thread.start()
        return self.thread

    @property
    def running(self):
        return self.thread is not None and self.thread.is_alive()

    @staticmethod
    def _run(source):
        try:
            sync(source)  # logs its own outcome, failure included
        except Exception as exc:  # the database down: the next interval tries again
            logger.warning("userscripts sync of %s: %s: %s", source, exc.__class__.__name__, exc)
        finally:
            connection.close()  # this thread's own connection


interval_sync = IntervalSync()
