"""A write that waited its whole time for SQLite's lock: recognised, and answered 503 instead of a 500.

SQLite lets one connection write at a time. A request whose save waits longer than the database's
``timeout`` option (``SQLITE_TIMEOUT``) for another process's write (a receiver that hangs inside
its save, a long ``runjob``) gets ``OperationalError: database is locked``. That is a busy part, not
a bug of the request: the client is told so (503, ``Retry-After``) and may try again.
"""
from django.db import OperationalError

MESSAGE = ("The database is busy: another process holds its write lock (a long job or a hung receiver). "
           "Nothing was saved; try again in a moment.")
RETRY_AFTER = "5"  # seconds; a hint for the client, the lock's holder decides


def is_database_busy(exc):
    """Whether ``exc`` is SQLite's "database is locked" (or "database table is locked")."""
    return isinstance(exc, OperationalError) and "is locked" in str(exc)
