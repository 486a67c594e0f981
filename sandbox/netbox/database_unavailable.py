"""A database that cannot take the request now: recognised, and answered 503 instead of a 500.

Two cases, both a part of the system being busy or away, not a bug of the request; the client
is told so (503, ``Retry-After``) and may try again:

- SQLite lets one connection write at a time. A request whose write waits longer than the
  database's ``timeout`` option (``SQLITE_TIMEOUT``) for another process's (a receiver that hangs
  inside its save, a long ``runjob``) gets ``OperationalError: database is locked``.
- A database server restarting or down (PostgreSQL refusing connections, or dropping the
  request's connection): an ``OperationalError`` after which the connection is gone.

Any other ``OperationalError`` (a missing table, too many SQL variables) is left to the usual
error handling.
"""
from django.db import OperationalError, connection

BUSY = ("The database is busy: another process holds its write lock (a long job or a hung receiver). "
        "Nothing was saved; try again in a moment.")
UNREACHABLE = "The database cannot be reached (it is restarting or down); try again in a moment."
RETRY_AFTER = "5"  # seconds; a hint for the client, the lock's holder or the server decides


def unavailable(exc):
    """The message of the 503 that answers ``exc``, or None when ``exc`` is not the database being unavailable."""
    if not isinstance(exc, OperationalError):
        return None
    if "is locked" in str(exc):  # SQLite's "database is locked" or "database table is locked"
        return BUSY
    driver = connection.connection
    if driver is None or getattr(driver, "broken", False) or getattr(driver, "closed", False) is True:
        return UNREACHABLE
    return None
