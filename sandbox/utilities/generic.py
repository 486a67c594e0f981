"""A generic reference (a ``GenericForeignKey``: a type and an id) is either unset or names an object that exists.

Shared by the models that point at "any of these kinds of object": a prefix's or cluster's
``scope``, a circuit termination's ``termination``, a MAC address's ``assigned_object``.
"""
from django.core.exceptions import ValidationError


def clean_generic_reference(obj, name, what):
    """Raise ``ValidationError`` naming the field when ``obj``'s ``name`` has a type without an id, an id without
    a type, or names no object; ``what`` says what it is in the message ("scope", "termination")."""
    field = obj._meta.get_field(name)
    type_id = getattr(obj, f"{field.ct_field}_id")
    object_id = getattr(obj, field.fk_field)
    if type_id is None:
        if object_id is not None:
            raise ValidationError({field.ct_field: f"Give the type of the {what} as well as its id."})
        return
    kind = getattr(obj, field.ct_field).model
    if object_id is None:
        raise ValidationError({field.fk_field: f"Please select a {kind}."})
    if getattr(obj, name) is None:
        raise ValidationError({field.fk_field: f"No {kind} with id {object_id}."})
