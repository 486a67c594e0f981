"""Helpers of the custom objects tests: types made through the models, and dropped again after each test."""
import pytest
from django.contrib.contenttypes.models import ContentType

from custom_objects.cache import cache
from custom_objects.models import CustomFieldChoiceSet, CustomObjectType, CustomObjectTypeField


def make_type(type_name, /, type_slug=None, **fields):
    """A type with ``fields`` given as ``name={"type": ..., ...}``; returns its current model."""
    cot = CustomObjectType(name=type_name, slug=type_slug or type_name.replace("_", "-"))
    cot.full_clean()
    cot.save()
    for field_name, options in fields.items():
        options = dict(options)
        target = options.pop("to", None)
        if target is not None:
            options["related_object_type"] = (ContentType.objects.get_for_model(target) if isinstance(target, type)
                                              else target)
        choices = options.pop("choices", None)
        if choices is not None:
            options["choice_set"], _ = CustomFieldChoiceSet.objects.get_or_create(
                name=f"{type_name}-{field_name}", defaults={"extra_choices": [[c, c.title()] for c in choices]})
        field = CustomObjectTypeField(custom_object_type=cot, name=field_name, **options)
        field.full_clean()
        field.save()
    return cache.get_model(cot.pk)


def drop_all_types():
    """Delete every type (and so its table): fields pointing across types first."""
    for field in CustomObjectTypeField.objects.filter(type__in=["object", "multiobject"]):
        field.delete()
    for cot in CustomObjectType.objects.all():
        cot.delete()
    CustomFieldChoiceSet.objects.all().delete()


@pytest.fixture
def dropped_types(transactional_db):
    """Tests that change tables run outside a test transaction; their types are dropped afterwards."""
    yield
    cache.ensure_current()
    drop_all_types()
