"""One sync at a time on a host: a file lock beside the host's userscripts folder, waited for a bounded time.

Every process of a host (server workers, the interval's thread, ``userscripts_sync``, the
API) may start a sync; each fetches, tries and records, and two at once only double the
work and the trials. The lock is ``fcntl.flock`` on ``.userscripts-sync.lock`` in
``USERSCRIPTS_ROOT`` (the folder every process of the host shares and may write); a flock
is held per open file, so two threads of one process exclude each other too. The second
sync waits up to its timeout, then does not start, saying so.
"""
import contextlib
import fcntl
import time
from pathlib import Path

LOCK = ".userscripts-sync.lock"
POLL = 0.05  # seconds between attempts while another sync holds the lock


@contextlib.contextmanager
def one_sync_per_host(root, timeout):
    """Hold the host's sync lock; yields True, or False when another sync held it for ``timeout`` seconds."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(POLL)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
