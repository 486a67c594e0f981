"""What ``post_commit`` needs recorded: each save and delete of a model that has a receiver.

Only the models with a ``post_commit`` receiver are followed: ``post_commit`` tells its
watchers when its receivers change (``signals.CommitSignal``), and ``sync`` connects this
module's receivers on ``pre_save``, ``post_save`` and ``post_delete`` for those senders
alone (or for every sender, when a receiver listens to any). A save of another model sends
nothing more than before, and keeps Django's fast deletes, which any ``pre_delete`` or
``post_delete`` receiver on a model turns off.

Values are the concrete fields' values as stored, by field name, a foreign key by its id:
``before`` is read from the database in ``pre_save`` (one query by primary key, none for
a create; its values converted only if a receiver reads them), ``after`` from the saved
object, each value through its field's ``to_python`` so that both sides compare alike. A
delete's ``before`` is the deleted object's values. Bulk edits record their own changes
(``record_bulk_edit``), from the rows they validated.
"""
import functools
import threading

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import NOT_PROVIDED
from django.db.models.signals import post_delete, post_save, pre_save

from netbox_userscripts.commits import batch
from netbox_userscripts.commits.driversql import DriverStatement, per_connection
from netbox_userscripts.hooks.receivers import _django_connect
from netbox_userscripts.signals import post_commit

UID = "userscripts-post-commit-tracking"
INTEGER_FIELDS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
                  "PositiveIntegerField", "PositiveBigIntegerField", "SmallIntegerField")


class Tracking:
    """The senders whose saves and deletes are recorded, kept in step with ``post_commit``'s receivers."""

    def __init__(self):
        self.followed = set()  # senders (None: any) whose receivers are connected here
        self._lock = threading.Lock()

    def install(self):
        if self.sync not in post_commit.watchers:
            post_commit.watchers.append(self.sync)
        self.sync(post_commit)

    def sync(self, signal):
        live = signal.live_senders()
        wanted = {None} if None in live else set(live)
        with self._lock:
            for sender in self.followed - wanted:
                for tracked_signal in (pre_save, post_save, post_delete):
                    tracked_signal.disconnect(sender=sender, dispatch_uid=UID)
            for sender in wanted - self.followed:
                _django_connect(pre_save, before_save, sender=sender, weak=False, dispatch_uid=UID)
                _django_connect(post_save, after_save, sender=sender, weak=False, dispatch_uid=UID)
                _django_connect(post_delete, after_delete, sender=sender, weak=False, dispatch_uid=UID)
            self.followed = wanted


tracking = Tracking()


# Connected only for the senders that have a ``post_commit`` receiver (``Tracking.sync``): no check here.
def before_save(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    instance._state.userscripts_before = stored(sender, instance, using) if _may_exist(sender, instance) else None


def after_save(sender, instance, created, raw=False, using=None, update_fields=None, **kwargs):
    before = instance._state.__dict__.pop("userscripts_before", None)
    after = values(instance)
    if update_fields is not None and before is not None:  # only these were written
        before = before()
        names = {sender._meta.get_field(name).name for name in update_fields}
        after = {name: (after[name] if name in names else value) for name, value in before.items()}
    batch.record(sender, instance.pk, batch.CREATE if created else batch.UPDATE, instance,
                   None if created else before, after, using)


def after_delete(sender, instance, using=None, **kwargs):
    batch.record(sender, instance.pk, batch.DELETE, None, values(instance), None, using)


def record_bulk_edit(model, objects, befores, fields, using):
    """One update per object of a bulk edit: ``befores`` as loaded, the objects with the new values of ``fields``.

    The new values are the same for every object: normalised once, laid over each ``before``.
    """
    if not objects:
        return
    new = values(objects[0], fields)
    items = new.items()
    batch.record_updates(model, [
        (obj.pk, obj, before, {**before, **new}, {name for name, value in items if before[name] != value})
        for obj, before in zip(objects, befores, strict=True)], using)


def is_tracked(model):
    return post_commit.has_listeners(model)


# Values as stored -----------------------------------------------------------------------

def _may_exist(model, instance):
    """Whether this save may update a row (else it inserts, and there is no ``before`` to read)."""
    if instance.pk is None:
        return False
    pk = model._meta.pk
    return not (instance._state.adding and pk.default is not NOT_PROVIDED)  # Django inserts those directly


def stored(model, instance, using):
    """The row of ``instance`` as it is in the database now (a function giving its dict), or None.

    The ORM would build the same query for every save (a tenth of a millisecond per field);
    its SQL and the columns' converters are made once per model and connection.
    """
    return per_connection(connections[using], model, lambda: RowStatement(model, using)).fetch(instance.pk)


class RowStatement:
    """``SELECT <concrete fields> FROM <table> WHERE pk = %s``, compiled by the ORM once, run on the driver's cursor."""

    def __init__(self, model, using):
        self.fields = model._meta.concrete_fields
        self.pk = model._meta.pk
        self.connection = connections[using]
        query = model._base_manager.using(using).filter(pk=self.pk.to_python(1) if self.pk.get_internal_type() in
                                                        INTEGER_FIELDS else None)
        query = query.order_by().values_list(*(f.attname for f in self.fields))
        self.compiler = query.query.get_compiler(using=using)
        self.sql, params = self.compiler.as_sql()
        if len(params) != 1:  # a pk the ORM does not bind as one parameter: let it build each query
            self.sql = None
            self.query = model._base_manager.using(using).order_by().values_list(*(f.attname for f in self.fields))
        self.converters = self.compiler.get_converters([col for col, _, _ in self.compiler.select])
        self.statement = self.sql and DriverStatement(self.connection, self.sql)

    def fetch(self, pk):
        """The row's values as a function giving the dict (converted when a receiver reads ``before``).

        The statement goes to the driver's cursor (``driversql``): Django's cursor wrapper
        would cost as much again as the query.
        """
        if self.sql is None:
            row = self.query.filter(pk=pk).first()
            return None if row is None else functools.partial(self._as_dict, row, ())
        cursor = self.statement.execute((self.pk.get_db_prep_value(self.pk.to_python(pk), self.connection),))
        with self.connection.wrap_database_errors:
            rows = cursor.fetchall()  # to the end: a statement left open slows the write that follows
        return functools.partial(self._as_dict, rows[0], self.converters) if rows else None

    def _as_dict(self, row, converters):
        if converters:
            row = next(self.compiler.apply_converters([row], converters))
        return {f.name: value for f, value in zip(self.fields, row, strict=True)}


def loaded(model, instance):
    """The concrete fields of ``instance`` by name, as loaded from the database (no conversion)."""
    names, attnames = _names(model)
    return dict(zip(names, map(instance.__dict__.get, attnames), strict=True))


def _names(model):
    opts = model._meta
    names = opts.__dict__.get("_userscripts_names")
    if names is None:  # the field lists of a model never change; a rebuilt custom object type is a new model
        names = opts._userscripts_names = ([f.name for f in opts.concrete_fields],
                                           [f.attname for f in opts.concrete_fields])
    return names


def values(instance, fields=None):
    """The concrete fields of ``instance`` (or ``fields``) by name, as the database gives them back."""
    state = instance.__dict__
    plan = _values_plan(type(instance)) if fields is None else [
        (f.name, f.attname, f.to_python, None) for f in fields]
    result = {}
    for name, attname, to_python, natural in plan:
        value = state.get(attname)  # a deferred field, never loaded: None
        if value is None or type(value) is natural:  # already what to_python would give
            result[name] = value
            continue
        try:
            result[name] = to_python(value)
        except ValidationError:
            result[name] = value
    return result


NATURAL_TYPES = {"CharField": str, "TextField": str, "SlugField": str, "EmailField": str, "URLField": str,
                 "BooleanField": bool, **dict.fromkeys(INTEGER_FIELDS, int)}


def _values_plan(model):
    """``(name, attname, to_python, the type to_python returns unchanged)`` per concrete field, made once."""
    opts = model._meta
    plan = opts.__dict__.get("_userscripts_values_plan")
    if plan is None:
        plan = opts._userscripts_values_plan = tuple(
            (f.name, f.attname, f.to_python, NATURAL_TYPES.get((f.target_field if f.is_relation else f)
                                                               .get_internal_type()))
            for f in opts.concrete_fields)
    return plan
