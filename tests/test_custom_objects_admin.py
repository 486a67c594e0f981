"""The admin of custom object definitions: a type and its fields made and deleted in the admin change tables."""
import pytest
from django.db import connection

from custom_objects.cache import cache
from custom_objects.models import CustomObjectType
from tests.custom_objects_data import dropped_types  # noqa: F401

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
