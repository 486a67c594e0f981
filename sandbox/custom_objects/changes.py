"""A change of custom object definitions: ``with changes.change() as change: ...`` around edits of them.

Saving or deleting a type, a field or a choice set opens a change (nested ones join the
outermost) and ``touch``es the types it affects. A change is one transaction, and the
tables follow it through three signals that the outermost change sends; the schema editor
(``custom_objects.schema``) receives them, connected in the app's ``ready()``:

- ``change_started``, first in the transaction: take the schema lock;
- ``change_ending``, last in it, when types were touched: bring their tables in line with
  the definitions (a receiver that raises rolls the whole change back);
- ``change_failed``, after the change rolled back: forget what was built for it.

So the models only open changes and say what they touched; nothing below the schema
editor imports it.

On SQLite, Django's schema editor needs foreign-key checks off, which SQLite allows only
outside a transaction: a change that starts outside any transaction turns them off around
itself (and back on after), and the admin and the API views turn them off before their
transaction opens (``prepared()``).
"""
import contextlib
import threading

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

change_started = Signal()
change_ending = Signal()
change_failed = Signal()

_local = threading.local()


class Change:
    """The ids of the types touched by one change, on the database ``using``."""

    def __init__(self, using):
        self.using = using
        self.touched = set()

    def touch(self, type_id):
        if type_id is not None:
            self.touched.add(type_id)

    def touch_types(self, type_ids):
        for type_id in type_ids:
            self.touch(type_id)


@contextlib.contextmanager
def prepared(using=DEFAULT_DB_ALIAS):
    """On SQLite, foreign-key checks off around a block whose transaction may change the schema."""
    connection = connections[using]
    checks_off = (connection.vendor == "sqlite" and not connection.in_atomic_block
                  and connection.disable_constraint_checking())
    try:
        yield
    finally:
        if checks_off:
            connection.enable_constraint_checking()


@contextlib.contextmanager
def change(using=None):
    using = using or DEFAULT_DB_ALIAS
    open_changes = _local.__dict__.setdefault("changes", {})
    current = open_changes.get(using)
    if current is not None:
        with transaction.atomic(using=using):
            yield current
        return
    current = open_changes[using] = Change(using)
    try:
        with prepared(using), transaction.atomic(using=using):
            change_started.send(sender=Change, change=current)
            yield current
            if current.touched:
                change_ending.send(sender=Change, change=current)
    except BaseException:
        change_failed.send(sender=Change, change=current)
        raise
    finally:
        del open_changes[using]
