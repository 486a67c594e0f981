"""pynetbox's CustomObjectsExtension, unchanged, against a live server: the seed's examples and more."""
import pynetbox
import pytest
from pynetbox.core.query import AllocationError
from pynetbox.extensions import CustomObjectsExtension
from pynetbox.extensions.custom_objects import schema_apply, schema_preview

from custom_objects.cache import cache
from dcim.models import Device
from tests.api_data import make_site
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401

pytestmark = pytest.mark.usefixtures("dropped_types")

DOC = {"schema_version": "1", "types": [{"name": "my_cot", "slug": "my-cot", "fields": [
    {"id": 1, "name": "label", "type": "text", "primary": True, "required": True}]}]}


@pytest.fixture
def nb(live_server, superuser, token_for):
    return pynetbox.api(live_server.url, token=token_for(superuser), extensions=[CustomObjectsExtension])


@pytest.fixture
def cidr_list(nb):
    co = nb.plugins.custom_objects
    cot = co.custom_object_types.create(name="cidr_list", slug="cidr-list", description="CIDR lists")
    co.custom_object_type_fields.create(custom_object_type=cot.id, name="name", label="Name", type="text",
                                        primary=True, required=True)
    co.custom_object_type_fields.create(custom_object_type=cot.id, name="prefix", label="Prefix", type="integer")
    return cot


def test_seed_examples(nb, cidr_list):
    co = nb.plugins.custom_objects
    new = co.cidr_list.create(name="ours", prefix=42)
    assert type(new).__name__ == "CustomObject" and new.prefix == 42
    listed = [(obj.name, obj.custom_object_type.slug) for obj in co.cidr_list.all()]
    assert listed == [("ours", "cidr-list")]
    cot = co.custom_object_types.get(cidr_list.id)
    assert cot.schema_document is None  # set by schema/apply only
    assert [f.name for f in cot.fields] == ["name", "prefix"]
    assert cot.fields[0].related_object_filter is None and cot.fields[0].related_object_type is None
    site = nb.dcim.sites.create(name="DC1", slug="dc1")
    link = co.custom_object_type_fields.create(custom_object_type=cidr_list.id, name="site", type="object",
                                               app_label="dcim", model="site",
                                               related_object_filter={"status": "active"})
    cot = co.custom_object_types.get(cidr_list.id)
    field = next(f for f in cot.fields if f.name == "site")
    assert isinstance(field.related_object_filter, dict) and field.related_object_filter == {"status": "active"}
    assert isinstance(field.related_object_type, dict) and field.related_object_type["model"] == "site"
    assert link.related_object_type["app_label"] == "dcim"
    new = co.cidr_list.get(name="ours")
    new.site = site.id
    assert new.save() is True
    hits = co.linked_objects.filter(object_type="dcim.site", object_id=site.id)
    assert [(r.custom_object_type["slug"], r.field_name, r.object["id"]) for r in hits] == [
        ("cidr-list", "site", new.id)]
    assert isinstance(list(co.linked_objects.filter(object_type="dcim.site", object_id=site.id))[0].object, dict)


def test_schema_preview_apply_and_the_409(nb):
    diff = schema_preview(nb, DOC)
    assert diff["diffs"][0]["is_new"] is True and diff["diffs"][0]["field_changes"][0]["op"] == "add"
    result = schema_apply(nb, DOC, allow_destructive=False)
    assert result["applied"] is True
    assert nb.plugins.custom_objects.my_cot.create(label="x").label == "x"
    assert schema_preview(nb, DOC)["diffs"][0]["has_changes"] is False
    removal = {"schema_version": "1", "types": [{"name": "my_cot", "slug": "my-cot", "fields": [],
                                                 "removed_fields": [{"id": 1, "name": "label", "type": "text"}]}]}
    with pytest.raises(AllocationError) as raised:  # pynetbox's name for any 409 answer to a POST
        schema_apply(nb, removal)
    exc = raised.value
    assert exc.req.status_code == 409
    body = exc.req.json()
    assert body["error"] == "destructive_changes" and body["destructive_slugs"] == ["my-cot"] and body["detail"]
    assert "label" in [f.name for f in cache.get_model("my-cot")._meta.fields]  # nothing changed
    assert schema_apply(nb, removal, allow_destructive=True)["diffs"][0]["has_destructive_changes"] is True
    assert "label" not in [f.name for f in cache.get_model("my-cot")._meta.fields]
    assert nb.plugins.custom_objects.custom_object_types.get(slug="my-cot").schema_document["removed_fields"]


def test_every_list_has_next_and_linked_objects_pages(nb, settings):
    site = make_site()
    model = make_type("scope", name={"type": "text"}, site={"type": "object", "to": type(site)})
    model.objects.bulk_create([model(name=f"s{i}", site=site) for i in range(7)])
    settings.MAX_PAGE_SIZE = 3
    co = nb.plugins.custom_objects
    rows = list(co.linked_objects.filter(object_type="dcim.site", object_id=site.pk))
    assert sorted(r.object["name"] for r in rows) == sorted(f"s{i}" for i in range(7))
    assert len(list(co.scope.all())) == 7 and co.scope.count() == 7
    for endpoint in (co.custom_object_types, co.custom_object_type_fields):
        assert len(list(endpoint.all())) >= 1


def test_slug_with_underscore_under_both_spellings(nb):
    make_type("my_first_custom_object", "my_first_custom_object", name={"type": "text"})
    co = nb.plugins.custom_objects
    created = co.endpoint("my_first_custom_object").create(name="a")
    fetched = co.my_first_custom_object.get(created.id)  # sent as my-first-custom-object
    fetched.name = "b"
    assert fetched.save() is True
    assert [o.name for o in co.endpoint("my_first_custom_object").all()] == ["b"]
    assert fetched.delete() is True
    assert co.my_first_custom_object.count() == 0
    with pytest.raises(pynetbox.RequestError) as raised:
        co.custom_object_types.create(name="other", slug="my-first-custom-object")
    assert raised.value.req.status_code == 400 and "slug" in raised.value.req.json()


def test_each_object_carries_its_type_and_types_filter_by_id_name_slug(nb):
    for name in ("alpha", "beta", "gamma"):
        make_type(name, name={"type": "text"})
    co = nb.plugins.custom_objects
    beta = co.custom_object_types.get(slug="beta")
    assert beta.name == "beta"
    assert co.custom_object_types.get(name="gamma").slug == "gamma"
    assert [t.slug for t in co.custom_object_types.filter(id=beta.id)] == ["beta"]
    fields = co.custom_object_type_fields.filter(custom_object_type_id=beta.id)
    assert [f.name for f in fields] == ["name"]
    assert co.custom_object_type_fields.get(custom_object_type_id=beta.id, name="name").type.value == "text"
    obj = co.beta.create(name="x")
    assert obj.custom_object_type.slug == "beta" and obj.custom_object_type.name == "beta"
    assert set(dict(co.beta.get(obj.id))["custom_object_type"]) >= {"id", "url", "name", "slug"}
    assert obj.custom_object_type.url.endswith(f"/api/plugins/custom-objects/custom-object-types/{beta.id}/")


def test_object_fields_bulk_operations_and_choices(nb):
    make_site(devices=3)
    co = nb.plugins.custom_objects
    sets = co.custom_field_choice_sets.create(name="levels", extra_choices=[["gold", "Gold"], ["silver", "Silver"]])
    cot = co.custom_object_types.create(name="contract", slug="contract")
    for spec in ({"name": "ref", "type": "text", "primary": True},
                 {"name": "level", "type": "select", "choice_set": sets.id},
                 {"name": "devices", "type": "multiobject", "app_label": "dcim", "model": "device"}):
        co.custom_object_type_fields.create(custom_object_type=cot.id, **spec)
    pks = sorted(Device.objects.values_list("pk", flat=True))
    made = co.contract.create([{"ref": f"c{i}", "level": "gold", "devices": pks[:i + 1]} for i in range(3)])
    assert [len(m.devices) for m in made] == [1, 2, 3] and made[2].devices[0].name
    assert co.contract.choices()["level"][0]["value"] == "gold"
    co.contract.update([{"id": m.id, "level": "silver"} for m in made])
    assert {c.level.value for c in co.contract.all()} == {"silver"}
    assert len(co.contract.filter(level="silver")) == 3 and len(co.contract.filter(ref__ic="C1")) == 1
    assert co.contract.delete([m.id for m in made]) is True
    assert co.contract.count() == 0
