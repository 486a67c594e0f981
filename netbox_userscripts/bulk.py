"""``bulk_edit(queryset, **changes)``: validate every object, then one UPDATE between two signals.

Each object is validated with its new values by ``full_clean``. Uniqueness is checked
per object only when a changed field takes part in a unique constraint, and a changed
foreign key is checked once; other changes (status, role, tenant, ...) cost no query per
object, which is what makes a bulk edit of thousands of objects fast.
"""
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router, transaction

from netbox_userscripts.signals import post_bulk_edit, pre_bulk_edit


def bulk_edit(queryset, request=None, **changes):
    """Set ``changes`` on every object of ``queryset``; return the list of primary keys edited.

    Raises ``ValidationError`` (naming the object and field) and writes nothing when any
    object would be invalid; ``AbortEvent`` when a ``pre_bulk_edit`` receiver vetoes.
    """
    model = queryset.model
    if not changes:
        raise ValidationError("bulk_edit needs at least one field to change.")
    fields = _concrete_fields(model, changes)
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        objects = list(queryset.order_by("pk"))
        pk_list = [obj.pk for obj in objects]
        if not objects:
            return pk_list
        _validate(model, objects, fields, changes)
        pre_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
        values = dict(_assignment(f, changes[f.name]) for f in fields)
        model._base_manager.using(using).filter(pk__in=pk_list).update(**values)
        post_bulk_edit.send(sender=model, pk_list=pk_list, changes=changes, request=request)
    return pk_list


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


def _validate(model, objects, fields, changes):
    """``full_clean`` each object with its new values, at no query per object where possible.

    Fields not being changed were valid when saved and are not checked again. A changed
    foreign key is checked once (does the object exist?), not once per object; the
    model's ``clean()`` and the other changed fields are checked on every object.
    """
    changed = {f.name for f in fields}
    check_unique = any(changed & set(fs) for fs in _unique_field_sets(model))
    relations = [f for f in fields if f.is_relation]
    errors = {}
    for field in relations:
        value = changes[field.name]
        try:
            field.clean(value.pk if isinstance(value, models.Model) else value, objects[0])
        except ValidationError as exc:
            errors[field.name] = exc.messages
    if errors:
        raise ValidationError(errors)
    exclude = [f.name for f in model._meta.fields if f.name not in changed or f.is_relation]
    for obj in objects:
        for field in fields:
            setattr(obj, *_assignment(field, changes[field.name]))
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            if check_unique:  # with every field: a unique set mixes changed and unchanged ones
                obj.validate_unique()
                obj.validate_constraints()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(f"{obj} (id {obj.pk}): {m}" for m in messages)
    if errors:
        raise ValidationError(errors)


def _assignment(field, value):
    """``(attribute, value)`` to set: a foreign key given as a primary key goes to ``field_id``."""
    if field.is_relation and value is not None and not isinstance(value, models.Model):
        return field.attname, value
    return field.name, value


def _unique_field_sets(model):
    opts = model._meta
    for field in opts.local_fields:
        if field.unique and not field.primary_key:
            yield (field.name,)
    yield from opts.unique_together
    for constraint in opts.total_unique_constraints:
        yield constraint.fields
    for constraint in opts.constraints:
        if hasattr(constraint, "expressions") and getattr(constraint, "expressions", None):
            yield tuple(f.name for f in opts.local_fields)  # expression constraints: check them all
