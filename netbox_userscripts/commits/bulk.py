"""``bulk_edit(queryset, **changes)``: validate every object, then one UPDATE between two signals.

Every object is validated with its new values: each changed field's value is cleaned by
the field (choices, length, validators, does the related object exist), once, since it
is the same value for every object; then each object's ``clean()`` runs with the new
values, and uniqueness is checked per object when a changed field takes part in a unique
constraint. Fields that do not change were valid when saved and are not checked again.
Nothing is written unless every object passes.

That is what makes a bulk edit of thousands of objects fast: no query per object for a
change of status, role or tenant, and objects are loaded without the work Django's
``Model.__init__`` does per field, where the model has no hooks that could need it.
"""
import contextlib
import gc
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections, models, router, transaction
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init

from netbox_userscripts.commits import tracking
from netbox_userscripts.signals import post_bulk_edit, pre_bulk_edit

INTEGER_PKS = ("AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
               "PositiveIntegerField", "PositiveBigIntegerField")


def bulk_edit(queryset, request=None, **changes):
    """Set ``changes`` on every object of ``queryset``; return the list of primary keys edited.

    Raises ``ValidationError`` (naming the field, and the object where it is about one
    object) and writes nothing when any object would be invalid; ``AbortEvent`` when a
    ``pre_bulk_edit`` receiver vetoes.
    """
    model = queryset.model
    if not changes:
        raise ValidationError("bulk_edit needs at least one field to change.")
    fields = _concrete_fields(model, changes)
    using = router.db_for_write(model)
    tracked = tracking.is_tracked(model)  # post_commit wants every field's value before and after
    with transaction.atomic(using=using):
        if not queryset.query.is_sliced:
            queryset = queryset.order_by("pk")
        with _collector_paused():
            objects, befores = _load(queryset.using(using), model, fields, complete=tracked)
            pk_list = [obj.pk for obj in objects]
            if not objects:
                return pk_list
            values = _validate(model, objects, fields, changes)
        pre_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
        model._base_manager.using(using).filter(pk__in=_pk_set(model, pk_list, using)).update(**values)
        post_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
        if tracked:
            tracking.record_bulk_edit(model, objects, befores, fields, using)
    return pk_list


@contextlib.contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while thousands of objects are made.

    Each burst of new objects triggers collections that scan the whole heap (a Django
    process has a large one), none of which can free anything: every object made here is
    in use until the edit ends. That scanning was up to half of a 10,000-object edit.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _concrete_fields(model, changes):
    fields = []
    errors = {}
    for name in changes:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            errors[name] = [f"{model._meta.object_name} has no field named {name!r}."]
            continue
        if not field.concrete or field.many_to_many or field.primary_key or not field.editable:
            errors[name] = [f"{name!r} cannot be bulk edited."]
            continue
        fields.append(field)
    if errors:
        raise ValidationError(errors)
    return fields


def _pk_set(model, pk_list, using):
    """``pk_list`` for ``pk__in``, as one parameter where the database allows.

    A list of 10,000 bound parameters costs more than the UPDATE itself; SQLite's
    ``json_each`` and PostgreSQL's ``unnest`` take the whole list as one value.
    """
    vendor = connections[using].vendor
    if model._meta.pk.get_internal_type() in INTEGER_PKS and len(pk_list) > 100:
        if vendor == "sqlite":
            return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(pk_list)])
        if vendor == "postgresql":
            return RawSQL("SELECT unnest(%s::bigint[])", [pk_list])
    return pk_list


def _load(queryset, model, fields, complete=False):
    """The objects to edit, with the fields that ``clean()`` may read; and their values, when ``complete``.

    ``complete`` (``post_commit`` listens) loads every field and returns, beside the objects,
    each one's values by field name as loaded (``tracking.loaded``); else that is None.
    """
    changed = {f.name for f in fields}
    skipped = [] if complete else [
        f for f in model._meta.concrete_fields if f.name not in changed and not f.primary_key and (
            getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) or f.get_internal_type() == "TextField")]
    plain = (model.from_db.__func__ is models.Model.from_db.__func__
             and not pre_init.has_listeners(model) and not post_init.has_listeners(model))
    if not plain:  # a custom from_db or init hooks: let Django build the objects
        objects = list(queryset.defer(*(f.name for f in skipped)))
        return objects, [tracking.loaded(model, obj) for obj in objects] if complete else None
    # What Model.from_db does, minus the per-field descriptor work; a skipped field, should
    # clean() read it, is loaded on access like any deferred field.
    attnames = [f.attname for f in model._meta.concrete_fields if f not in skipped]
    names = [f.name for f in model._meta.concrete_fields if f not in skipped]
    objects, befores = [], [] if complete else None
    for row in queryset.values_list(*attnames):
        obj = model.__new__(model)
        state = obj._state = ModelState()
        state.adding, state.db = False, queryset.db
        obj.__dict__.update(zip(attnames, row, strict=True))
        objects.append(obj)
        if complete:
            befores.append(dict(zip(names, row, strict=True)))
    return objects, befores


def _validate(model, objects, fields, changes):
    """Check the new values and every object with them; return the values to write."""
    errors, values, assignments = {}, {}, []
    for field in fields:
        value = changes[field.name]
        try:
            if field.is_relation:
                field.clean(value.pk if isinstance(value, models.Model) else value, objects[0])
            else:
                value = field.clean(value, objects[0])
        except ValidationError as exc:
            errors[field.name] = exc.messages
            continue
        attribute = field.attname if field.is_relation and not isinstance(value, (models.Model, type(None))) \
            else field.name
        values[attribute] = value
        assignments.append((attribute, value))
    if errors:
        raise ValidationError(errors)
    changed = {f.name for f in fields}
    check_unique = any(changed & set(names) for names in _unique_field_sets(model))
    for obj in objects:
        for attribute, value in assignments:
            setattr(obj, attribute, value)
        try:
            obj.clean()
            if check_unique:
                obj.validate_unique()
                obj.validate_constraints()
        except ValidationError as exc:
            for name, messages in exc.update_error_dict({}).items():
                errors.setdefault(name, []).extend(f"{obj} (id {obj.pk}): {m}" for m in messages)
    if check_unique:
        errors.update(_duplicates_among(model, objects, changed))
    if errors:
        raise ValidationError(errors)
    return values


def _duplicates_among(model, objects, changed):
    """Two edited objects left with the same unique values: ``validate_unique`` sees only the stored rows."""
    errors = {}
    for names in _unique_field_sets(model, expressions=False):
        if not changed & set(names):
            continue
        fields = [model._meta.get_field(name) for name in names]
        seen = {}
        for obj in objects:
            key = tuple(getattr(obj, f.attname) for f in fields)
            if None in key:  # NULLs never collide
                continue
            if key in seen:
                label = ", ".join(names)
                errors.setdefault(names[0], []).append(
                    f"{obj} (id {obj.pk}) and {seen[key]} (id {seen[key].pk}) would have the same {label}.")
                break
            seen[key] = obj
    return errors


def _unique_field_sets(model, expressions=True):
    opts = model._meta
    for field in opts.local_fields:
        if field.unique and not field.primary_key:
            yield (field.name,)
    yield from opts.unique_together
    for constraint in opts.total_unique_constraints:
        yield constraint.fields
    for constraint in opts.constraints if expressions else ():
        if getattr(constraint, "expressions", None):
            yield tuple(f.name for f in opts.local_fields)  # expression constraints: check them all
