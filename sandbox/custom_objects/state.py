"""The schema token: one row whose value changes with every change of a custom object table.

Schema changes lock the row (``lock``) and give it a new value (``bump``) in the
transaction that changes the tables. A write through a custom object model first reads
the row with a shared lock (``check_writable``): on PostgreSQL that waits for a schema
change in flight and then sees its new token; on SQLite writers are serialised anyway.
A model built for another token is stale, and the write is refused with
``StaleModelError`` instead of going to a table that no longer matches it.
"""
import uuid

from django.db import DatabaseError, connections

TABLE = "custom_objects_schemastate"


class StaleModelError(DatabaseError):
    """A custom object type changed in another process since this one built its model; retry."""


def read(using, lock=""):
    """The current token ('' when none was ever set); ``lock`` is "share" or "update" (PostgreSQL)."""
    connection = connections[using]
    sql = f"SELECT token FROM {TABLE} WHERE id = 1"
    if lock and connection.vendor == "postgresql":
        sql += " FOR SHARE" if lock == "share" else " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else ""


def lock(using):
    """Take the schema lock for the current transaction; returns the current token."""
    token = read(using, lock="update")
    if not token:
        with connections[using].cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = 1")
            cursor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, %s)", [new_token()])
        token = read(using, lock="update")
    return token


def new_token():
    return uuid.uuid4().hex


def bump(using):
    """Give the row a new token (the caller holds the lock); returns it."""
    token = new_token()
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET token = %s WHERE id = 1", [token])
    return token


def check_writable(model, using):
    """Raise ``StaleModelError`` unless ``model`` was built for the token now in the database."""
    token = read(using, lock="share")
    if token != model._schema_token:
        raise StaleModelError(
            f"The custom object type {model.custom_object_type.slug!r} changed since this process loaded it; "
            "nothing was written. Retry the request.")
