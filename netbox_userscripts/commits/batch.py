"""Committed changes: the changes of one transaction, coalesced per object, sent as ``post_commit``.

``tracking`` records each save, delete and bulk edit of a model that has a ``post_commit``
receiver as a ``Change`` here, into the ``Batch`` of the transaction it happened in. When
that transaction commits, the batch sends ``post_commit`` once per model touched, in the
order the models were first touched, with one change per object:

* create, then updates: one create with the last state;
* updates: one update from the first ``before`` to the last ``after``;
* create, then delete: nothing; update, then delete: one delete from the first ``before``;
* delete, then create (the same primary key): one update.

Nothing is sent for work that did not commit, and nothing is kept past the transaction's
end. Django's own commit hooks (``connection.run_on_commit``) carry that: a batch is held
only by its hook, so a rollback (which empties the list) frees it; its changes are kept
per savepoint in a ``Segment`` whose own hook Django drops when that savepoint rolls back,
so the batch sends only the segments whose hook ran. The batch's hook is kept the last of
its hooks, and Django runs hooks in order. Outside a transaction (autocommit) a change is
sent right after the operation.
"""
import itertools
import logging
import weakref
from dataclasses import dataclass

from django.db import connections, transaction

from netbox_userscripts.hooks import context
from netbox_userscripts.signals import post_commit

logger = logging.getLogger("netbox_userscripts")
CREATE, UPDATE, DELETE = "create", "update", "delete"
_sequence = itertools.count()


class Change:
    """What one transaction did to one object, as ``post_commit`` receivers see it.

    ``before`` and ``after`` map each concrete field's name to its value as stored (a
    foreign key by its id); ``before`` is None for a create, ``after`` None for a delete.
    ``changed`` is the set of field names whose value differs (every field for a create or
    a delete). ``instance`` is the object as committed, None for a delete.

    ``before`` may be recorded as a function giving that dict (the row as read, converted
    only when asked): a receiver that reads only ``after`` never pays for it.
    """

    __slots__ = ("action", "pk", "instance", "_before", "after", "_changed")

    def __init__(self, action, pk, instance, before, after, changed=None):
        self.action, self.pk, self.instance, self.after = action, pk, instance, after
        self._before, self._changed = before, changed

    @property
    def before(self):
        if callable(self._before):
            self._before = self._before()
        return self._before

    @property
    def changed(self):
        if self._changed is None:
            self._changed = _changed(self.before, self.after)
        return self._changed

    def __repr__(self):
        return f"<Change {self.action} pk={self.pk!r} changed={sorted(self.changed)}>"


@dataclass(eq=False, slots=True)
class Event:
    """One recorded operation, before coalescing."""

    order: int
    model: type
    pk: object
    action: str
    instance: object
    before: object  # a dict, None, or a function giving the dict (see ``Change``)
    after: dict | None
    changed: set | None = None  # known already (a bulk edit knows what it set), else worked out


class Segment:
    """The events recorded under one stack of savepoints; ``survived`` once its commit hook ran."""

    __slots__ = ("events", "survived")

    def __init__(self):
        self.events = []
        self.survived = False

    def survive(self):
        self.survived = True


@dataclass(frozen=True)
class Moment:
    """Where a transaction's changes were made, taken at its first change: ``post_commit`` tells it.

    The request, the branch and the origin (``hooks.context``: None but inside a host with
    branches) of the work, as they were when it changed something: the commit hook that sends
    them may run once the host has moved on (a merge's ``post_merge``).
    """

    request: object
    branch: object
    origin: object

    @classmethod
    def now(cls):
        return cls(context.request(), context.branch(), context.origin())


class Batch:
    """The changes of one transaction on one database, sent when it commits.

    Held only by its commit hook in the connection's hook list (the connection keeps a weak
    reference), so that a rollback, which empties that list, frees it.
    """

    def __init__(self, using, moment):
        self.using = using
        self.moment = moment
        self.segments = {}  # tuple of savepoint ids -> Segment
        self.sent = False

    # Recording -----------------------------------------------------------------------

    def install(self, connection):
        # Appended as Django's ``on_commit`` would, but belonging to no savepoint: only the
        # segments can be rolled back, and this hook must stay to send the ones that were not.
        connection.run_on_commit.append((set(), self.send, True))

    def claim(self, connection):
        """Whether this batch's hook waits in the connection's hook list; if so, make it the last.

        Looked for from the end: it is moved last each time, so only the hooks added since
        the last change are passed over.
        """
        if self.sent:
            return False
        hooks = connection.run_on_commit
        for index in range(len(hooks) - 1, -1, -1):
            if getattr(hooks[index][1], "__self__", None) is self:
                if index != len(hooks) - 1:
                    hooks.append(hooks.pop(index))
                return True
        return False

    def add(self, connection, *events):
        stack = tuple(connection.savepoint_ids)
        segment = self.segments.get(stack)
        if segment is None:
            segment = self.segments[stack] = Segment()
            if any(stack):
                transaction.on_commit(segment.survive, using=self.using)  # dropped if a savepoint of it rolls back
                hooks = connection.run_on_commit
                hooks.append(hooks.pop(-2))  # this batch's hook, last again: after its segments' hooks
            else:  # under no savepoint: it is rolled back only with the transaction, and this batch with it
                segment.survived = True
        segment.events.extend(events)

    # Sending -------------------------------------------------------------------------

    def events(self):
        survived = [s for s in self.segments.values() if s.survived]
        return sorted((e for s in survived for e in s.events), key=lambda e: e.order)

    def send(self):
        """The commit hook: coalesce the surviving events and send ``post_commit`` per model."""
        self.sent = True
        send_changes(coalesce(self.events()), self.moment, self.using)


def record(model, pk, action, instance, before, after, using):
    """Record one operation into the current transaction's batch (or send it now, in autocommit)."""
    record_events(using, [Event(next(_sequence), model, pk, action, instance, before, after)])


def record_updates(model, updates, using):
    """Record ``(pk, instance, before, after, changed)`` updates at once (a bulk edit's)."""
    record_events(using, [Event(next(_sequence), model, pk, UPDATE, instance, before, after, changed)
                          for pk, instance, before, after, changed in updates])


def record_events(using, events):
    connection = connections[using]
    if not connection.in_atomic_block:
        send_changes(coalesce(events), Moment.now(), using)
        return
    current_batch(connection, using).add(connection, *events)


def current_batch(connection, using):
    """The batch of the transaction in progress on ``connection``, made on its first change."""
    ref = getattr(connection, "_userscripts_batch", None)
    batch = ref() if ref is not None else None
    if batch is None or not batch.claim(connection):
        batch = Batch(using, Moment.now())
        batch.install(connection)
        connection._userscripts_batch = weakref.ref(batch)
    return batch


def start_new_batch(using):
    """Record the next changes on ``using`` into a new batch, sent by a hook registered from now on.

    The changes made so far stay in their batch, sent by its own hook when (if ever) it runs.
    The test kit uses it so a block run with ``captureOnCommitCallbacks``-style hooks sends only
    its own changes, not those the test's set-up made before it in the same transaction.
    """
    connections[using]._userscripts_batch = None


def coalesce(events):
    """``{model: [Change, ...]}``, models and objects in the order first touched."""
    by_model = {}
    for event in events:
        changes = by_model.setdefault(event.model, {})
        previous = changes.get(event.pk)
        if previous is None:
            changes[event.pk] = Change(event.action, event.pk, event.instance, event.before, event.after,
                                       event.changed)
            continue
        merged = _merge(previous, event)
        if merged is None:
            del changes[event.pk]  # created and deleted in the same transaction
        else:
            changes[event.pk] = merged
    return {model: list(changes.values()) for model, changes in by_model.items() if changes}


def _merge(previous, event):
    if event.action == DELETE:
        if previous.action == CREATE:
            return None
        return Change(DELETE, event.pk, None, previous._before, None)
    if previous.action == DELETE:  # deleted, then made again with the same key
        return Change(UPDATE, event.pk, event.instance, previous._before, event.after)
    return Change(previous.action, event.pk, event.instance, previous._before, event.after)


def _changed(before, after):
    if before is None:
        return set(after or ())
    if after is None:
        return set(before)
    return {name for name, value in after.items() if before.get(name, value) != value or name not in before}


def send_changes(by_model, moment, using):
    """Send ``post_commit`` per model; a receiver's failure never stops the others."""
    for model, changes in by_model.items():
        for receiver, result in post_commit.send_robust(sender=model, changes=changes, request=moment.request,
                                                        using=using, branch=moment.branch, origin=moment.origin):
            if isinstance(result, Exception):
                logger.error("post_commit receiver %r failed on %s", receiver, model._meta.label,
                             exc_info=(type(result), result, result.__traceback__))
