"""Recorded changes replayed into one module's ``post_commit`` receivers: "what would it have done?".

``userscripts_replay`` (and a test) gives ``replay`` a module and ``RecordedChange``s: from a JSON
file (``changes_from_json``: this engine's own shape, or NetBox's change log as its REST API
gives it), or inside NetBox from its change log (``netbox_plugin.changelog``). The changes
are sent as a commit sends them (``batch.coalesce``: one change per object, per model, in
the order first touched; the changes of one ``request_id`` together, as one transaction's,
each other change on its own), but only to the receivers of that module, through their
``GuardedReceiver`` (a receiver that raises is logged, as live). It all runs in a transaction
rolled back unless ``commit``: a dry run writes nothing, and its log lines are captured and
returned, not written to the central log (they did not happen); with ``commit`` the
receivers' writes stand and their lines go to the central log as well.

A change's ``instance`` is the object as ``after`` describes it (not re-read: the object
may have changed or gone since), None for a delete.
"""
import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction

from netbox_userscripts.commits.batch import CREATE, DELETE, UPDATE, Event, coalesce
from netbox_userscripts.signals import post_commit

ACTIONS = (CREATE, UPDATE, DELETE)


class ReplayError(ValueError):
    """Changes that cannot be replayed, or a module that has nothing to replay them into; the message says why."""


@dataclass
class RecordedChange:
    """One change as recorded: its model, action, primary key and the fields before and after (by name)."""

    model: type
    action: str
    pk: object
    before: dict | None
    after: dict | None
    request_id: object = None  # the changes of one request were one transaction's: replayed together


class Capture(logging.Handler):
    """Keeps the records a module logs while it is replayed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def post_commit_receivers(module):
    """The ``post_commit`` connections of a loaded module (``loading.loader.LoadedModule``); ``ReplayError``."""
    if not getattr(module, "loaded", False):
        raise ReplayError(f"{module.name} is not loaded: {module.error}")
    found = [c for c in module.connections.items if c.signal is post_commit]
    if not found:
        raise ReplayError(f"{module.name} has no post_commit receiver: nothing to replay changes into.")
    return found


def replay(module, changes, commit=False, using=DEFAULT_DB_ALIAS):
    """Send ``changes`` to ``module``'s ``post_commit`` receivers; the ``logging.LogRecord``s it logged meanwhile."""
    receivers = post_commit_receivers(module)
    logger, capture = module.connections.logger, Capture()
    kept = list(logger.handlers)
    logger.handlers = kept + [capture] if commit else [capture]  # a dry run's lines stay out of the central log
    try:
        with transaction.atomic(using=using):
            for group in groups(changes):
                send(receivers, group, using)
            transaction.set_rollback(not commit, using=using)
    finally:
        logger.handlers = kept
    return capture.records


def groups(changes):
    """Consecutive changes of one ``request_id`` together; a change without one alone."""
    group, current = [], object()
    for change in changes:
        if group and (change.request_id is None or change.request_id != current):
            yield group
            group = []
        group.append(change)
        current = change.request_id
    if group:
        yield group


def send(receivers, group, using):
    events = [Event(order, c.model, c.pk, c.action, None if c.action == DELETE else instance_of(c.model, c.after,
                                                                                               using),
                    c.before, c.after) for order, c in enumerate(group)]
    for model, model_changes in coalesce(events).items():
        for connection in receivers:
            if connection.sender is None or connection.sender is model:
                connection.receiver(signal=post_commit, sender=model, changes=model_changes, request=None,
                                    using=using, branch=None, origin=None)


def instance_of(model, values, using):
    """An unsaved copy of the object as ``values`` describe it, marked as read from the database."""
    fields = {f.attname: values[f.name] for f in model._meta.concrete_fields if f.name in (values or {})}
    try:
        instance = model(**fields)
    except (TypeError, ValueError, ValidationError):  # a model whose __init__ wants more: the object as it is now
        return model._base_manager.using(using).filter(pk=fields.get(model._meta.pk.attname)).first()
    instance._state.adding, instance._state.db = False, using
    return instance


def as_stored(model, values):
    """``values`` with each concrete field's value as the field stores it (a JSON string made a date again)."""
    if values is None:
        return None
    converted = dict(values)
    for field in model._meta.concrete_fields:
        if field.name in converted and converted[field.name] is not None:
            target = field.target_field if field.is_relation else field
            try:
                converted[field.name] = target.to_python(converted[field.name])
            except (ValidationError, TypeError, ValueError):
                pass  # kept as recorded: the receiver sees what the record says
    return converted


def recorded_change(model, action, pk, before, after, request_id=None, where="a change"):
    """A checked ``RecordedChange``; ``ReplayError`` naming ``where`` and what is wrong."""
    if action not in ACTIONS:
        raise ReplayError(f"{where}: action must be one of {', '.join(ACTIONS)}, got {action!r}.")
    for name, values in (("before", before), ("after", after)):
        if values is not None and not isinstance(values, dict):
            raise ReplayError(f"{where}: {name} must be an object of field values, got {type(values).__name__}.")
    if action != CREATE and before is None:
        raise ReplayError(f"{where}: an {action} needs before (the fields as they were).")
    if action != DELETE and after is None:
        raise ReplayError(f"{where}: a{'n' if action == UPDATE else ''} {action} needs after (the fields as saved).")
    if pk is None:
        pk = (after or before).get("id")
    return RecordedChange(model, action, pk, as_stored(model, before), as_stored(model, after), request_id)


def changes_from_json(data):
    """``RecordedChange``s from decoded JSON: a list of changes (or ``{"results": [...]}``, NetBox's API page).

    A change is ``{"model": "dcim.device", "action": "update", "id": 5, "before": {...}, "after": {...},
    "request_id": "..."}``; NetBox's change log names are read too (``changed_object_type``,
    ``changed_object_id``, ``prechange_data``, ``postchange_data``, ``action`` as ``{"value": ...}``).
    """
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if not isinstance(data, list):
        raise ReplayError("the changes must be a JSON list of changes (or NetBox's {\"results\": [...]}).")
    found = []
    for number, item in enumerate(data, start=1):
        where = f"change {number}"
        if not isinstance(item, dict):
            raise ReplayError(f"{where} is not an object.")
        label = item.get("model", item.get("changed_object_type"))
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError, TypeError):
            raise ReplayError(f"{where}: model {label!r} is not a model of this project (give app_label.model, "
                              "such as dcim.device).") from None
        action = item.get("action")
        action = action.get("value") if isinstance(action, dict) else action
        pk = item.get("pk", item.get("id")) if "model" in item else item.get("changed_object_id")
        found.append(recorded_change(model, action, pk, item.get("before", item.get("prechange_data")),
                                     item.get("after", item.get("postchange_data")), item.get("request_id"), where))
    return found
