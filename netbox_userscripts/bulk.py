"""``bulk_edit(queryset, **changes)``: validate every object, then one UPDATE between two signals.

Each object is validated with its new values by ``full_clean``. Uniqueness is checked
per object only when a changed field takes part in a unique constraint; other changes
(status, role, tenant, ...) cost no query per object, which is what makes a bulk edit
of thousands of objects fast.
"""
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router, transaction

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
        values = {f.name: changes[f.name] for f in fields}
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
    changed = {f.name for f in fields}
    unique_sets = [set(fs) for fs in _unique_field_sets(model)]
    check_unique = any(changed & fs for fs in unique_sets)
    errors = {}
    for obj in objects:
        for field in fields:
            setattr(obj, field.name, changes[field.name])
        try:
            obj.full_clean(validate_unique=check_unique, validate_constraints=check_unique)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(f"{obj} (id {obj.pk}): {m}" for m in messages)
    if errors:
        raise ValidationError(errors)


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
