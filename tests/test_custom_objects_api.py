"""Custom objects over the REST API: real tables, validation, hostile input, permissions, deletion rules."""
import json

import pytest
from django.core.management import call_command
from django.db import connection

from custom_objects.cache import cache
from custom_objects.models import CustomObjectType
from dcim.models import Site
from extras.models import Tag
from tests.api_data import client_for, grant, make_site
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401

pytestmark = pytest.mark.usefixtures("dropped_types")
ROOT = "/api/plugins/custom-objects"


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


def new_type(api, name, **extra):
    response = api.post(f"{ROOT}/custom-object-types/", {"name": name, "slug": name.replace("_", "-"), **extra},
                        format="json")
    assert response.status_code == 201, response.content
    return response.json()


def new_field(api, cot, **spec):
    return api.post(f"{ROOT}/custom-object-type-fields/", {"custom_object_type": cot["id"], **spec}, format="json")


def columns(table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def test_root_lists_fixed_endpoints_and_each_type(api):
    new_type(api, "dhcp_scope")
    root = api.get(f"{ROOT}/").json()
    assert {"custom-object-types", "custom-object-type-fields", "linked-objects", "dhcp-scope"} <= set(root)
    assert root["dhcp-scope"] == "http://testserver/api/plugins/custom-objects/dhcp-scope/"


def test_each_type_is_a_real_table_changed_with_its_fields(api):
    cot = new_type(api, "dhcp_scope")
    table = f"custom_objects_{cot['id']}"
    assert set(columns(table)) == {"id", "created", "last_updated"}
    size = new_field(api, cot, name="size", type="integer").json()
    assert api.post(f"{ROOT}/dhcp-scope/", {"size": 5}, format="json").status_code == 201
    flag = new_field(api, cot, name="active", type="boolean", default=True).json()
    assert f"field_{flag['id']}" in columns(table)
    assert api.get(f"{ROOT}/dhcp-scope/").json()["results"][0]["active"] is True  # existing rows took the default
    assert api.patch(f"{ROOT}/custom-object-type-fields/{size['id']}/", {"name": "capacity"},
                     format="json").status_code == 200
    assert api.get(f"{ROOT}/dhcp-scope/").json()["results"][0]["capacity"] == 5  # a rename keeps the data
    assert api.patch(f"{ROOT}/custom-object-type-fields/{size['id']}/", {"type": "text"},
                     format="json").status_code == 200
    assert api.get(f"{ROOT}/dhcp-scope/").json()["results"][0]["capacity"] == "5"
    assert api.delete(f"{ROOT}/custom-object-type-fields/{size['id']}/").status_code == 204
    assert f"field_{size['id']}" not in columns(table)
    assert api.delete(f"{ROOT}/custom-object-types/{cot['id']}/").status_code == 204
    assert table not in connection.introspection.table_names()
    assert api.get(f"{ROOT}/dhcp-scope/").status_code == 404


def test_types_take_tags(api):
    tag = Tag.objects.create(name="Core", slug="core")
    cot = new_type(api, "dhcp_scope")
    assert cot["tags"] == []
    tagged = api.patch(f"{ROOT}/custom-object-types/{cot['id']}/", {"tags": [{"slug": "core"}]}, format="json")
    assert tagged.status_code == 200 and [t["id"] for t in tagged.json()["tags"]] == [tag.pk]
    assert api.get(f"{ROOT}/custom-object-types/?slug=dhcp-scope").json()["results"][0]["tags"][0]["slug"] == "core"


def test_makemigrations_stays_clean_with_types_loaded(api, capsys):
    make_type("circuit_order", ref={"type": "text"}, site={"type": "object", "to": Site})
    assert cache.all_models()
    call_command("makemigrations", "--check", "--dry-run")
    assert "No changes detected" in capsys.readouterr().out


@pytest.mark.parametrize("spec,value,field", [
    ({"type": "integer", "validation_minimum": 1, "validation_maximum": 10}, 11, "x"),
    ({"type": "integer"}, "ten", "x"),
    ({"type": "text", "validation_regex": "^[A-Z]+$"}, "abc", "x"),
    ({"type": "decimal"}, "1.2.3", "x"),
    ({"type": "date"}, "2026-13-01", "x"),
    ({"type": "datetime"}, "yesterday", "x"),
    ({"type": "url"}, "not a url", "x"),
    ({"type": "boolean"}, "maybe", "x"),
    ({"type": "select", "choices": ["gold"]}, "silver", "x"),
    ({"type": "multiselect", "choices": ["gold"]}, ["gold", "tin"], "x"),
    ({"type": "multiselect", "choices": ["gold"]}, "gold", "x"),
    ({"type": "text", "required": True}, None, "x"),
    ({"type": "object", "to": Site}, 999999, "x"),
    ({"type": "text"}, "a", "nosuchfield"),
])
def test_a_bad_value_is_a_400_naming_the_field(api, spec, value, field):
    make_type("thing", x=spec)
    response = api.post(f"{ROOT}/thing/", {field: value}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_unique_required_defaults_and_good_values(api):
    site = make_site()
    make_type("thing", code={"type": "text", "unique": True, "required": True},
              level={"type": "select", "choices": ["gold", "silver"], "default": "gold"},
              data={"type": "json"},
              when={"type": "date"}, amount={"type": "decimal"}, site={"type": "object", "to": Site})
    good = {"code": "c1", "when": "2026-11-23", "amount": "1.5", "site": site.pk, "data": {"k": [1]}}
    response = api.post(f"{ROOT}/thing/", good, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == {"value": "gold", "label": "Gold"} and body["amount"] == 1.5
    assert body["site"]["id"] == site.pk and body["site"]["url"].endswith(f"/api/dcim/sites/{site.pk}/")
    assert body["data"] == {"k": [1]}
    again = api.post(f"{ROOT}/thing/", {**good, "when": "2026-11-24"}, format="json")
    assert again.status_code == 400 and "code" in again.json()


@pytest.mark.parametrize("name", ["id", "display", "custom_object_type", "save", "objects", "Bad", "a__b", "_x"])
def test_reserved_or_malformed_field_names(api, name):
    cot = new_type(api, "thing")
    response = new_field(api, cot, name=name, type="text")
    assert response.status_code == 400 and "name" in response.json(), response.content


def test_clashing_names_and_slugs(api):
    cot = new_type(api, "thing")
    assert new_field(api, cot, name="site_id", type="text").status_code == 201
    response = new_field(api, cot, name="site", type="object", app_label="dcim", model="site")
    assert response.status_code == 400 and "name" in response.json()
    assert new_field(api, cot, name="site_id", type="integer").status_code == 400  # the same name twice
    for slug in ("linked-objects", "custom_object_types", "schema"):
        response = api.post(f"{ROOT}/custom-object-types/", {"name": "x", "slug": slug}, format="json")
        assert response.status_code == 400 and "slug" in response.json()
    api.post(f"{ROOT}/custom-object-types/", {"name": "dhcp_scope", "slug": "dhcp_scope"}, format="json")
    response = api.post(f"{ROOT}/custom-object-types/", {"name": "dhcp_scope2", "slug": "dhcp-scope"}, format="json")
    assert response.status_code == 400 and "slug" in response.json()
    response = api.post(f"{ROOT}/custom-object-types/", {"name": "Not-An-Identifier", "slug": "n"}, format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_field_rules_are_400s(api):
    cot = new_type(api, "thing")
    for spec, name in [({"type": "select"}, "choice_set"), ({"type": "object"}, "model"),
                       ({"type": "object", "app_label": "dcim", "model": "nosuch"}, "model"),
                       ({"type": "object", "app_label": "custom-objects", "model": "nosuch"}, "model"),
                       ({"type": "text", "validation_regex": "("}, "validation_regex"),
                       ({"type": "integer", "validation_minimum": 5, "validation_maximum": 1}, "validation_maximum"),
                       ({"type": "integer", "default": "x"}, "default"),
                       ({"type": "bogus"}, "type"), ({"type": "text", "is_polymorphic": True}, "is_polymorphic")]:
        response = new_field(api, cot, name="f", **spec)
        assert response.status_code == 400 and name in response.json(), (spec, response.content)


def test_hostile_documents(api, settings):
    many = {"schema_version": "1", "types": [{"name": "wide", "slug": "wide", "fields": [
        {"id": i, "name": f"f{i}", "type": "text"} for i in range(1, 10_001)]}]}
    response = api.post(f"{ROOT}/schema/apply/", {"schema": many}, format="json")
    assert response.status_code == 400 and response.json()["schema_errors"][0]["path"] == ["types", 0, "fields"]
    assert not CustomObjectType.objects.exists()
    big = json.dumps({"schema": {"schema_version": "1", "types": [{"name": "big", "slug": "big",
                                                                   "description": "x" * 10_000_000}]}})
    response = api.post(f"{ROOT}/schema/apply/", big, content_type="application/json")
    assert response.status_code == 413 and "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.json()["detail"]
    cycle = {"schema_version": "1", "types": [
        {"name": "a", "slug": "a", "fields": [{"id": 1, "name": "b", "type": "object",
                                              "related_object_type": "custom-objects/b"}]},
        {"name": "b", "slug": "b", "fields": [{"id": 1, "name": "a", "type": "multiobject",
                                              "related_object_type": "custom-objects/a"}]}]}
    response = api.post(f"{ROOT}/schema/apply/", {"schema": cycle}, format="json")
    assert response.status_code == 400 and response.json()["error"] == "circular_dependency"
    dangling = {"schema_version": "1", "types": [{"name": "a", "slug": "a", "fields": [
        {"id": 1, "name": "d", "type": "object", "related_object_type": "dcim/nosuch"}]}]}
    response = api.post(f"{ROOT}/schema/apply/", {"schema": dangling}, format="json")
    assert response.status_code == 400 and response.json()["error"] == "unresolvable_reference"
    for bad in ([], "x", {"schema_version": "2", "types": []}, {"schema_version": "1", "types": [{"name": "a"}]}):
        response = api.post(f"{ROOT}/schema/preview/", bad, format="json")
        assert response.status_code == 400 and ("schema_errors" in response.json() or response.json()), bad
    assert api.post(f"{ROOT}/schema/apply/", {"schema": dangling["types"][0]}, format="json").status_code == 400
    assert api.post(f"{ROOT}/schema/apply/", {"schema": dangling, "allow_destructive": "yes"},
                    format="json").status_code == 400
    assert not CustomObjectType.objects.exists()


def test_a_document_creates_types_that_point_at_each_other_in_order(api):
    site = make_site()
    doc = {"schema_version": "1", "types": [
        {"name": "circuit", "slug": "circuit", "fields": [
            {"id": 1, "name": "cid", "type": "text", "primary": True, "unique": True},
            {"id": 2, "name": "provider", "type": "object", "related_object_type": "custom-objects/provider",
             "on_delete_behavior": "protect"},
            {"id": 3, "name": "site", "type": "object", "related_object_type": "dcim/site"},
            {"id": 4, "name": "parent", "type": "object", "related_object_type": "custom-objects/circuit"}]},
        {"name": "provider", "slug": "provider", "fields": [{"id": 1, "name": "name", "type": "text"}]}]}
    response = api.post(f"{ROOT}/schema/apply/", {"schema": doc}, format="json")
    assert response.status_code == 200, response.content
    provider = api.post(f"{ROOT}/provider/", {"name": "Zayo"}, format="json").json()
    circuit = api.post(f"{ROOT}/circuit/", {"cid": "C-1", "provider": provider["id"], "site": site.pk},
                       format="json")
    assert circuit.status_code == 201, circuit.content
    assert circuit.json()["provider"]["display"] == "Provider 1" or circuit.json()["provider"]["id"]
    blocked = api.delete(f"{ROOT}/provider/{provider['id']}/")
    assert blocked.status_code == 409  # on_delete_behavior protect
    provider_type = CustomObjectType.objects.get(slug="provider")
    blocked = api.delete(f"{ROOT}/custom-object-types/{provider_type.pk}/")
    assert blocked.status_code == 409
    assert blocked.json()["dependent_objects"][0].startswith("custom object type field provider")
    assert api.delete(f"/api/dcim/sites/{site.pk}/").status_code == 204  # set_null by default
    assert api.get(f"{ROOT}/circuit/").json()["results"][0]["site"] is None
    assert api.post(f"{ROOT}/schema/preview/", doc, format="json").json()["diffs"][0]["has_changes"] is False


def test_related_object_filter_narrows_the_choices(api):
    active, planned = make_site("DC1"), make_site("DC2")
    Site.objects.filter(pk=planned.pk).update(status="planned")
    cot = new_type(api, "uplink")
    assert new_field(api, cot, name="site", type="object", app_label="dcim", model="site",
                     related_object_filter={"status": "active"}).status_code == 201
    assert api.post(f"{ROOT}/uplink/", {"site": active.pk}, format="json").status_code == 201
    response = api.post(f"{ROOT}/uplink/", {"site": planned.pk}, format="json")
    assert response.status_code == 400 and "site" in response.json()


def test_cascade_and_linked_objects_errors(api):
    site = make_site()
    make_type("port_map", name={"type": "text"}, site={"type": "object", "to": Site, "on_delete_behavior": "cascade"})
    api.post(f"{ROOT}/port-map/", {"name": "p", "site": site.pk}, format="json")
    assert api.get(f"{ROOT}/linked-objects/").status_code == 400
    response = api.get(f"{ROOT}/linked-objects/?object_type=dcim.site")
    assert response.status_code == 400 and "object_id" in response.json()
    assert api.get(f"{ROOT}/linked-objects/?object_type=dcim.site&object_id=999999").status_code == 404
    assert api.get(f"{ROOT}/linked-objects/?object_type=no.such&object_id=1").status_code == 400
    assert api.get(f"{ROOT}/linked-objects/?object_type=dcim.site&object_id=x").status_code == 400
    linked = api.get(f"{ROOT}/linked-objects/?object_type=dcim.site&object_id={site.pk}").json()
    assert linked["count"] == 1 and linked["next"] is None and linked["results"][0]["field_name"] == "site"
    assert api.delete(f"/api/dcim/sites/{site.pk}/").status_code == 204
    assert api.get(f"{ROOT}/port-map/").json()["count"] == 0


def test_conventions_brief_options_filters_and_all_or_nothing_bulk(api):
    make_type("scope", name={"type": "text", "primary": True}, size={"type": "integer", "validation_maximum": 100},
              level={"type": "select", "choices": ["gold", "silver"]})
    created = api.post(f"{ROOT}/scope/", [{"name": f"s{i}", "size": i * 10, "level": "gold"} for i in range(5)],
                       format="json")
    assert created.status_code == 201
    ids = [o["id"] for o in created.json()]
    brief = api.get(f"{ROOT}/scope/?brief=1").json()["results"][0]
    assert set(brief) == {"id", "url", "display", "custom_object_type"} and brief["display"] == "s0"
    options = api.options(f"{ROOT}/scope/").json()
    assert [c["value"] for c in options["actions"]["POST"]["level"]["choices"]] == ["gold", "silver"]
    assert api.get(f"{ROOT}/scope/?size__gte=20").json()["count"] == 3
    assert api.get(f"{ROOT}/scope/?q=s3").json()["count"] == 1
    assert api.get(f"{ROOT}/scope/?id={ids[0]}&id={ids[1]}").json()["count"] == 2
    assert api.get(f"{ROOT}/scope/?size=abc").status_code == 400
    page = api.get(f"{ROOT}/scope/?limit=2&size__gte=0").json()
    assert page["next"] == "http://testserver/api/plugins/custom-objects/scope/?limit=2&offset=2&size__gte=0"
    bad = api.patch(f"{ROOT}/scope/", [{"id": ids[0], "size": 1}, {"id": ids[1], "size": 1000}], format="json")
    assert bad.status_code == 400 and bad.json()[1] == {"size": ["Ensure this value is less than or equal to 100."]}
    assert api.get(f"{ROOT}/scope/{ids[0]}/").json()["size"] == 0
    bad = api.post(f"{ROOT}/scope/", [{"name": "ok"}, {"name": "bad", "level": "tin"}], format="json")
    assert bad.status_code == 400 and api.get(f"{ROOT}/scope/").json()["count"] == 5
    assert api.delete(f"{ROOT}/scope/", [{"id": ids[0]}, {"id": 99999999}], format="json").status_code == 400
    assert api.delete(f"{ROOT}/scope/", [{"id": i} for i in ids], format="json").status_code == 204
    assert api.get(f"{ROOT}/nosuch/").status_code == 404


def test_permissions(django_user_model, token_for):
    model = make_type("scope", name={"type": "text"})
    user = django_user_model.objects.create_user("netops")
    api = client_for(user, token_for)
    assert api.get(f"{ROOT}/custom-object-types/").status_code == 403
    assert api.get(f"{ROOT}/scope/").status_code == 403
    grant(user, "custom_objects.view_customobjecttype", "custom_objects.view_customobjecttypefield")
    assert api.get(f"{ROOT}/custom-object-types/").json()["count"] == 1
    assert api.post(f"{ROOT}/custom-object-types/", {"name": "x", "slug": "x"}, format="json").status_code == 403
    opts = model._meta
    grant(user, f"{opts.app_label}.view_{opts.model_name}")
    assert api.get(f"{ROOT}/scope/").status_code == 200
    assert api.post(f"{ROOT}/scope/", {"name": "a"}, format="json").status_code == 403
    grant(user, f"{opts.app_label}.add_{opts.model_name}")
    assert api.post(f"{ROOT}/scope/", {"name": "a"}, format="json").status_code == 201
    doc = {"schema_version": "1", "types": [{"name": "other", "slug": "other"}]}
    assert api.post(f"{ROOT}/schema/apply/", {"schema": doc}, format="json").status_code == 403
    grant(user, "custom_objects.add_customobjecttype")
    assert api.post(f"{ROOT}/schema/apply/", {"schema": doc}, format="json").status_code == 403
    grant(user, "custom_objects.change_customobjecttype")
    assert api.post(f"{ROOT}/schema/apply/", {"schema": doc}, format="json").status_code == 200
