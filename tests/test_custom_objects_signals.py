"""Userscripts see custom objects: save/delete/bulk-edit signals, per-type hooks across changes, vetoes, jobs."""
from pathlib import Path

import pytest

from custom_objects.scripting import get_model
from dcim.models import Site
from netbox_userscripts.loading.registry import registry
from tests.api_data import client_for, make_site
from tests.custom_objects_data import dropped_types, make_type  # noqa: F401

pytestmark = pytest.mark.usefixtures("dropped_types")
ROOT = "/api/plugins/custom-objects"

SCRIPT = """
from django.dispatch import receiver as any_receiver

from custom_objects.scripting import is_custom_object, objects, receiver
from netbox_userscripts import AbortEvent
from netbox_userscripts.jobs import Job, MultiObjectVar, ObjectVar
from netbox_userscripts.signals import post_bulk_edit, post_delete, post_save, pre_bulk_edit, pre_save

SEEN = []


@any_receiver(post_save)
def anything_saved(sender, instance, created, **kwargs):
    if is_custom_object(sender):
        SEEN.append(("any", instance.custom_object_type.slug, str(instance)))


@receiver(post_save, slug="dhcp_scope")
def scope_saved(sender, instance, created, **kwargs):
    SEEN.append(("scope", str(instance), created))


@receiver([pre_bulk_edit, post_bulk_edit], slug="dhcp-scope")
def scopes_edited(sender, signal, pk_list, changes, **kwargs):
    SEEN.append(("bulk", signal is post_bulk_edit, len(pk_list), sorted(changes)))


@receiver(pre_save, slug="dhcp-scope")
def no_forbidden(sender, instance, **kwargs):
    if str(instance) == "forbidden":
        raise AbortEvent("no scope may be called forbidden")


@receiver(post_delete, slug="dhcp-scope")
def scope_deleted(sender, instance, **kwargs):
    SEEN.append(("deleted", str(instance)))


class PickScope(Job):
    scope = ObjectVar(queryset=objects("dhcp-scope"))
    others = MultiObjectVar(queryset=objects("dhcp-scope"), required=False, query_params={"name__isw": "s"})

    def run(self, data, commit):
        return f"{data['scope']} of {data['scope'].custom_object_type.slug} and {len(data['others'] or [])} more"
"""


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


def seen():
    return registry.get("co_hooks").module.SEEN


def test_userscripts_hook_custom_objects_across_changes(api, userscripts):
    make_type("dhcp_scope", name={"type": "text", "primary": True})
    userscripts.load_module("co_hooks", SCRIPT)
    other = make_type("vlan_pool", name={"type": "text", "primary": True})
    assert api.post(f"{ROOT}/dhcp-scope/", {"name": "a"}, format="json").status_code == 201
    other.objects.create(name="pool")
    assert seen() == [("any", "dhcp-scope", "a"), ("scope", "a", True), ("any", "vlan-pool", "pool")]
    seen().clear()
    cot = api.get(f"{ROOT}/custom-object-types/?slug=dhcp-scope").json()["results"][0]
    assert api.post(f"{ROOT}/custom-object-type-fields/", {"custom_object_type": cot["id"], "name": "size",
                                                           "type": "integer"}, format="json").status_code == 201
    created = api.post(f"{ROOT}/dhcp-scope/", [{"name": "b", "size": 1}, {"name": "c", "size": 2}], format="json")
    assert created.status_code == 201
    assert [s for s in seen() if s[0] == "scope"] == [("scope", "b", True), ("scope", "c", True)]  # a new model
    seen().clear()
    ids = [o["id"] for o in created.json()]
    edited = api.patch(f"{ROOT}/dhcp-scope/", [{"id": pk, "size": 9} for pk in ids], format="json")
    assert edited.status_code == 200 and [o["size"] for o in edited.json()] == [9, 9]
    assert seen() == [("bulk", False, 2, ["size"]), ("bulk", True, 2, ["size"])]  # no per-object saves
    seen().clear()
    vetoed = api.post(f"{ROOT}/dhcp-scope/", {"name": "forbidden"}, format="json")
    assert vetoed.status_code == 400 and vetoed.json() == {"detail": "no scope may be called forbidden"}
    assert api.get(f"{ROOT}/dhcp-scope/?name=forbidden").json()["count"] == 0
    assert api.delete(f"{ROOT}/dhcp-scope/{ids[0]}/").status_code == 204
    assert seen() == [("deleted", "b")]


def test_job_vars_point_at_a_custom_object_type(api, userscripts):
    model = make_type("dhcp_scope", name={"type": "text", "primary": True})
    userscripts.load_module("co_hooks", SCRIPT)
    first, second = model.objects.create(name="s1"), model.objects.create(name="s2")
    make_type("unrelated", x={"type": "text"})  # the models are rebuilt: the job must not hold a stale one
    response = api.post("/api/extras/jobs/local/co_hooks/PickScope/run/",
                        {"data": {"scope": first.pk, "others": [second.pk]}, "commit": False}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["output"] == "s1 of dhcp-scope and 1 more"
    outside = get_model("dhcp-scope").objects.create(name="x1")  # not matched by the var's query_params
    refused = api.post("/api/extras/jobs/local/co_hooks/PickScope/run/",
                       {"data": {"scope": first.pk, "others": [outside.pk]}}, format="json")
    assert refused.status_code == 400 and "others" in refused.json()["data"]
    missing = api.post("/api/extras/jobs/local/co_hooks/PickScope/run/", {"data": {"scope": 999999}}, format="json")
    assert missing.status_code == 400 and "scope" in missing.json()["data"]
    described = api.get("/api/extras/jobs/local/co_hooks/PickScope/").json()
    assert any(v["name"] == "scope" for v in described["vars"])


# The userscript of docs/custom-objects.md ("Hook them in a userscript"), as the page includes it.
DOCUMENTED = Path(__file__).resolve().parent.parent / "docs" / "examples" / "dhcp_scopes.py"


def test_the_documented_userscript_runs(api, userscripts, central_log):
    site = make_site("AMS1")
    make_type("dhcp_scope", name={"type": "text", "primary": True}, size={"type": "integer"},
              site={"type": "object", "to": Site})
    userscripts.load_module("scopes", DOCUMENTED.read_text())
    created = api.post(f"{ROOT}/dhcp-scope/", {"name": "ams1-users", "size": 254, "site": site.pk}, format="json")
    assert created.status_code == 201
    vetoed = api.post(f"{ROOT}/dhcp-scope/", {"name": "huge", "size": 4096}, format="json")
    assert vetoed.status_code == 400 and "1024" in vetoed.json()["detail"]
    assert "dhcp-scope ams1-users saved" in central_log.read_text()
    response = api.post("/api/extras/jobs/local/scopes/ResizeScope/run/",
                        {"data": {"scope": created.json()["id"]}, "commit": True}, format="json")
    assert response.status_code == 201 and response.json()["output"] == "1", response.content
    assert api.get(f"{ROOT}/dhcp-scope/{created.json()['id']}/").json()["size"] == 512
