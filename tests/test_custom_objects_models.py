"""Custom object models: rebuilt when the schema token moves, and never written through when stale."""
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from custom_objects import state
from custom_objects.api.serializers import object_serializer
from custom_objects.cache import cache
from custom_objects.models import CustomObjectType, CustomObjectTypeField
from netbox.api.naming import get_serializer_for_model
from netbox_userscripts import bulk_edit
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401

pytestmark = pytest.mark.usefixtures("dropped_types")


def test_a_stale_model_never_writes():
    old = make_type("scope", name={"type": "text"})
    kept = old.objects.create(name="a")
    field = CustomObjectTypeField.objects.get(name="name")
    field.name = "title"
    field.save()
    new = cache.get_model("scope")
    assert new is not old and new.objects.get().title == "a"
    for write in (lambda: old(name="b").save(), lambda: kept.delete(), lambda: old.objects.update(name="c"),
                  lambda: old.objects.all().delete(), lambda: old.objects.bulk_create([old(name="d")]),
                  lambda: bulk_edit(old.objects.all(), name="e")):
        with pytest.raises(state.StaleModelError):
            write()
    assert new.objects.get().title == "a" and new.objects.count() == 1


def test_a_change_made_elsewhere_is_seen_at_the_next_check():
    model = make_type("scope", name={"type": "text"})
    with connection.cursor() as cursor:  # what another process's change leaves in the database
        cursor.execute(f"UPDATE {state.TABLE} SET token = %s WHERE id = 1", [state.new_token()])
    with pytest.raises(state.StaleModelError):
        model.objects.create(name="x")
    assert cache.get_model("scope") is model  # no query until the next request or check
    assert cache.ensure_current()
    rebuilt = cache.get_model("scope")
    assert rebuilt is not model and rebuilt.objects.create(name="x").pk


def test_models_are_django_models_of_their_own_app_and_table():
    model = make_type("circuit_order", ref={"type": "text", "primary": True})
    assert apps.get_model("custom_objects_dynamic", model._meta.model_name) is model
    cot = CustomObjectType.objects.get(pk=model.custom_object_type.pk)
    assert cot.get_model() is model and cache.get_model_named(model.__name__) is model
    assert cache.get_model_named("Table999999Model") is None and cache.get_model_named("Site") is None
    # The API finds its serializer by NetBox's naming convention, in the dynamic app's module.
    assert get_serializer_for_model(model) is object_serializer(model)
    assert get_serializer_for_model(model).Meta.fields[-1] == "ref"
    assert model._meta.db_table == f"custom_objects_{model.custom_object_type.pk}"
    obj = model.objects.create(ref="R1")
    assert str(obj) == "R1" and obj.custom_object_type.slug == "circuit-order"
    assert obj.get_absolute_url() == f"/api/plugins/custom-objects/circuit-order/{obj.pk}/"


def test_a_change_inside_a_transaction_begun_with_foreign_key_checks_on():
    """As in a job's run: SQLite cannot turn its foreign-key checks off in a transaction; they are deferred."""
    target = make_type("target", name={"type": "text"})
    make_type("pointer", one={"type": "object", "to": ContentType.objects.get_for_model(target)},
              many={"type": "multiobject", "to": ContentType.objects.get_for_model(target)})
    target = cache.get_model("target")  # every model was rebuilt when the second type was made
    first, second = target.objects.create(name="a"), target.objects.create(name="b")
    field = CustomObjectTypeField.objects.get(custom_object_type=target.custom_object_type, name="name")
    with transaction.atomic():
        CustomObjectTypeField(custom_object_type=target.custom_object_type, name="note", type="text").save()
        CustomObjectTypeField(custom_object_type=target.custom_object_type, name="code", type="text",
                              unique=True).save()  # a unique column: SQLite remakes the table
        cache.get_model("target").objects.create(name="c", code="C")
    target = cache.get_model("target")  # rebuilt again by the change: objects of the current model only
    first, second = target.objects.get(pk=first.pk), target.objects.get(pk=second.pk)
    kept = cache.get_model("pointer").objects.create(one=first)
    kept.many.set([first, second])
    field.unique = True
    if connection.vendor == "sqlite":  # the table now has rows pointing at it: not inside such a transaction
        with pytest.raises(Exception, match="Make the change in the admin or the API"), transaction.atomic():
            field.save()
        assert not cache.get_model("target")._meta.get_field("name").unique
    else:
        with transaction.atomic():
            field.save()
    kept = cache.get_model("pointer").objects.get()
    assert kept.one.name == "a" and sorted(o.name for o in kept.many.all()) == ["a", "b"]
