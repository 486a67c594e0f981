"""SQL the engine runs for every save, sent to the database driver's own cursor under Django's rules.

Two statements run once per save of a followed model: ``tracking`` reads the row before a
``post_commit`` model is saved, and ``tasks.backend`` inserts a task's row. Django's cursor
wrapper (execute wrappers, query logging, placeholder conversion, a new cursor each time)
costs as much as such a short statement itself. A ``DriverStatement`` keeps:

- the statement in the driver's parameter style, converted once;
- the driver's cursor, for as long as the Django connection under it is the same one;
- what Django's wrapper guarantees: a connection is opened when there is none, a statement
  in a transaction that already failed is refused (``TransactionManagementError``), and
  driver errors are raised as Django's (``IntegrityError``, ...).

What it gives up: these statements are not in ``connection.queries`` (``DEBUG``, the debug
toolbar) and ``connection.execute_wrapper()`` does not see them.
"""
import weakref

from django.db.backends.sqlite3.base import SQLiteCursorWrapper


class DriverStatement:
    """One statement written in Django's ``%s`` style, for one Django connection (one thread's)."""

    def __init__(self, connection, sql):
        self.connection = connection
        self.sql = sql
        self.driver_sql = driver_style(sql, connection)
        self._cursor = self._opened_on = None

    def execute(self, params):
        """Run the statement with ``params``; the driver's cursor, for the rows of a read."""
        connection = self.connection
        connection.validate_no_broken_transaction()
        cursor = self._cursor
        if cursor is None or connection.connection is not self._opened_on:
            connection.ensure_connection()
            cursor = self._cursor = connection.connection.cursor()
            self._opened_on = connection.connection
        with connection.wrap_database_errors:
            cursor.execute(self.driver_sql, params)
        return cursor


def per_connection(connection, key, make):
    """What ``make()`` built for ``connection`` under ``key`` (a statement, or an object holding one).

    Kept on the connection, since a Django connection belongs to one thread, under a key
    the caller owns and holds weakly (a model, say), so that it goes with the key.
    """
    kept = connection.__dict__.get("_userscripts_statements")
    if kept is None:
        kept = connection._userscripts_statements = weakref.WeakKeyDictionary()
    found = kept.get(key)
    if found is None:
        found = kept[key] = make()
    return found


def driver_style(sql, connection):
    """``sql`` in the parameter style of ``connection``'s driver (sqlite3 wants ``?``, Django writes ``%s``)."""
    if connection.vendor == "sqlite":
        return SQLiteCursorWrapper.convert_query(None, sql)
    return sql
