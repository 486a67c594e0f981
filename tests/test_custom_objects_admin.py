"""The admin of custom object definitions: a type and its fields made and deleted in the admin change tables."""
import pytest
from django.db import connection

from custom_objects.cache import cache
from custom_objects.models import CustomObjectType
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401

pytestmark = pytest.mark.usefixtures("dropped_types")


def inline(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        defaults = {"type": "text", "weight": "100", "on_delete_behavior": "set_null", "label": "",
                    "default": "null"}
        data.update({f"{prefix}-{i}-{k}": v for k, v in {**defaults, **row}.items()})
    return data


def test_a_type_with_fields_made_and_deleted_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/custom_objects/customobjecttype/add/", {
        "name": "dhcp_scope", "slug": "dhcp-scope", "verbose_name": "DHCP scope", "description": "",
        **inline("fields", [{"name": "name", "primary": "on", "required": "on"},
                            {"name": "size", "type": "integer", "validation_maximum": "4096"}])})
    assert response.status_code == 302, response.content.decode()[:3000]
    cot = CustomObjectType.objects.get(slug="dhcp-scope")
    model = cache.get_model("dhcp-scope")
    assert [f.name for f in model._meta.fields] == ["id", "created", "last_updated", "name", "size"]
    assert cot.table_name in connection.introspection.table_names()
    assert model.objects.create(name="a", size=5).pk
    response = client.post(f"/admin/custom_objects/customobjecttype/{cot.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert cot.table_name not in connection.introspection.table_names()
    bad = client.post("/admin/custom_objects/customobjecttype/add/", {
        "name": "x", "slug": "linked-objects", **inline("fields", [{"name": "id"}])})
    assert bad.status_code == 200 and not CustomObjectType.objects.exists()


def test_each_type_has_admin_pages_for_its_objects(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200  # the URLconf is loaded before the type exists
    model = make_type("circuit_order", ref={"type": "text", "primary": True}, mbps={"type": "integer"})
    base = f"/admin/custom_objects_dynamic/{model._meta.model_name}/"
    assert "Circuit order" in client.get("/admin/").content.decode()
    response = client.post(f"{base}add/", {"ref": "C-1", "mbps": "100"})
    assert response.status_code == 302, response.content.decode()[:2000]
    obj = model.objects.get()
    assert obj.ref == "C-1" and obj.mbps == 100
    assert "C-1" in client.get(base).content.decode()
    bad = client.post(f"{base}{obj.pk}/change/", {"ref": "C-1", "mbps": "many"})
    assert bad.status_code == 200 and model.objects.get().mbps == 100
    edited = client.post(base, {"action": "bulk_edit_selected", "_selected_action": [obj.pk], "apply_bulk_edit": "1",
                                "_set_mbps": "on", "mbps": "200"})
    assert edited.status_code == 302 and model.objects.get().mbps == 200
