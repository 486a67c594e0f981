"""The REST API's NetBox conventions: endpoints, object shape, auth, pagination, filters, OPTIONS, schema."""
import pytest
from django.test import override_settings
from drf_spectacular.drainage import GENERATOR_STATS

from dcim.models import Device, Manufacturer, Site
from tests.api_data import ENDPOINTS, client_for, device_refs, grant, make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(superuser, token_for):
    return client_for(superuser, token_for)


@pytest.mark.parametrize("app,endpoint", ENDPOINTS)
def test_every_endpoint_lists_and_is_in_its_app_root(api, app, endpoint):
    response = api.get(f"/api/{app}/{endpoint}/")
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert response["API-Version"]
    if app != "extras":  # /api/extras/ is the engine's root (jobs); it knows nothing of the data apps
        assert api.get(f"/api/{app}/").json()[endpoint] == f"http://testserver/api/{app}/{endpoint}/"


@pytest.mark.parametrize("app,endpoint", ENDPOINTS)
def test_every_endpoint_needs_a_login_and_the_model_permission(client, django_user_model, token_for, app, endpoint):
    assert client.get(f"/api/{app}/{endpoint}/").status_code in (401, 403)
    assert client.post(f"/api/{app}/{endpoint}/", {}, content_type="application/json").status_code in (401, 403)
    nobody = client_for(django_user_model.objects.create_user("nobody"), token_for)
    assert nobody.get(f"/api/{app}/{endpoint}/").status_code == 403
    assert nobody.post(f"/api/{app}/{endpoint}/", {}, format="json").status_code == 403
    assert nobody.patch(f"/api/{app}/{endpoint}/", [{"id": 1}], format="json").status_code == 403
    assert nobody.delete(f"/api/{app}/{endpoint}/", [{"id": 1}], format="json").status_code == 403


def test_view_permission_reads_but_does_not_write(django_user_model, token_for):
    site = make_site()
    reader = django_user_model.objects.create_user("reader")
    grant(reader, "dcim.view_site")
    api = client_for(reader, token_for)
    assert api.get(f"/api/dcim/sites/{site.pk}/").json()["name"] == "DC1"
    assert api.patch(f"/api/dcim/sites/{site.pk}/", {"name": "X"}, format="json").status_code == 403
    grant(reader, "dcim.change_site")
    reader = django_user_model.objects.get(pk=reader.pk)  # permissions are cached on the user object
    assert api.patch(f"/api/dcim/sites/{site.pk}/", {"name": "X"}, format="json").status_code == 200


def test_login_not_required_opens_reads_only(client, settings):
    make_site()
    settings.LOGIN_REQUIRED = False
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LoginRequired" not in m]
    assert client.get("/api/dcim/sites/").json()["count"] == 1
    assert client.post("/api/dcim/sites/", {"name": "X", "slug": "x"}).status_code in (401, 403)


def test_object_shape_nested_references_and_choices(api):
    site = make_site(devices=1)
    device = api.get("/api/dcim/devices/").json()["results"][0]
    assert device["url"] == f"http://testserver/api/dcim/devices/{device['id']}/"
    assert device["display"] == "sw0"
    assert device["site"] == {"id": site.pk, "url": f"http://testserver/api/dcim/sites/{site.pk}/",
                              "display": "DC1", "name": "DC1", "slug": "dc1", "description": ""}
    assert device["status"] == {"value": "active", "label": "Active"}
    assert device["device_type"]["manufacturer"]["slug"] == "cisco"


def test_foreign_keys_are_written_as_pk_or_lookup_dict(api):
    site = make_site()
    created = api.post("/api/dcim/devices/", {"name": "a", "site": {"slug": "dc1"}, "device_type": {"model": "C9200"},
                                              "role": {"slug": "access"}, "status": "planned"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["site"]["id"] == site.pk and created.json()["status"]["value"] == "planned"
    # Scripts written for NetBox 3 still say device_role.
    refs = device_refs()
    old = api.post("/api/dcim/devices/", {"name": "b", "site": site.pk, "device_type": refs["device_type"],
                                          "device_role": refs["role"]}, format="json")
    assert old.status_code == 201, old.content


def test_pagination_limit_offset_and_limit_zero(api, settings):
    make_site(devices=7)
    settings.MAX_PAGE_SIZE, settings.PAGINATE_COUNT = 5, 3
    page = api.get("/api/dcim/devices/?status=active").json()
    assert page["count"] == 7 and len(page["results"]) == 3
    assert page["next"] == "http://testserver/api/dcim/devices/?limit=3&offset=3&status=active"
    assert len(api.get("/api/dcim/devices/?limit=0").json()["results"]) == 5
    assert len(api.get("/api/dcim/devices/?limit=100").json()["results"]) == 5
    last = api.get("/api/dcim/devices/?limit=5&offset=5").json()
    assert [d["name"] for d in last["results"]] == ["sw5", "sw6"] and last["next"] is None


def test_filters(api):
    make_site(devices=3)
    other = make_site("DC2", devices=0)
    Device.objects.filter(name="sw2").update(site=other, status="offline")
    names = lambda query: sorted(d["name"] for d in api.get(f"/api/dcim/devices/?{query}").json()["results"])  # noqa: E731
    ids = sorted(Device.objects.values_list("pk", flat=True))
    assert names("name=sw0&name=sw1") == ["sw0", "sw1"]
    assert names("name__ic=SW") == ["sw0", "sw1", "sw2"]
    assert names("name__n=sw0") == ["sw1", "sw2"]
    assert names(f"id={ids[0]}&id={ids[1]}") == ["sw0", "sw1"]
    assert names(f"id__in={ids[0]},{ids[2]}") == ["sw0", "sw2"]
    assert names(f"site_id={other.pk}") == names("site=dc2") == ["sw2"]
    assert names("status=offline") == ["sw2"]
    refs, tenant = device_refs(), other.tenant_id
    assert names(f"manufacturer=cisco&role=access&tenant_id={tenant}&q=sw1") == ["sw1"]
    assert names(f"manufacturer_id={Manufacturer.objects.get().pk}&role_id={refs['role']}") == ["sw0", "sw1", "sw2"]
    bad = api.get("/api/dcim/devices/?status=bogus&site=nowhere")
    assert bad.status_code == 400 and set(bad.json()) == {"status", "site"}


def test_brief_mode_and_count(api):
    make_site(devices=2)
    page = api.get("/api/dcim/devices/?brief=1&limit=1").json()
    assert page["count"] == 2 and set(page["results"][0]) == {"id", "url", "display", "name", "description"}


def test_options_lists_choices_as_pynetbox_reads_them(api):
    post = api.options("/api/dcim/devices/").json()["actions"]["POST"]
    assert {"value": "active", "display_name": "Active"} in post["status"]["choices"]
    assert api.options("/api/dcim/devices/").status_code == 200


def test_status_and_api_version(api):
    response = api.get("/api/status/")
    assert response.status_code == 200 and "netbox-version" in response.json()
    assert api.get("/api/")["API-Version"]


def test_schema_and_docs(api, capsys):
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    # Built without a warning or an error: /api/docs/ loads the schema, and drf-spectacular prints
    # each one into the server's terminal on every load. GENERATOR_STATS keeps them even when
    # printing is turned off (DISABLE_ERRORS_AND_WARNINGS), so turning it off does not pass.
    assert not GENERATOR_STATS, "\n".join([*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache])
    assert capsys.readouterr().err == ""
    paths = schema.json()["paths"]
    assert {"/api/dcim/devices/", "/api/dcim/devices/{id}/", "/api/ipam/prefixes/"} <= set(paths)
    assert set(paths["/api/dcim/devices/"]) >= {"get", "post", "put", "patch", "delete"}
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()  # assets come from the sidecar, not the internet


def test_errors_name_the_field(api):
    make_site(devices=1)
    refs = device_refs()
    cases = [
        ("/api/dcim/sites/", {"name": "S", "slug": "s", "colour": "red"}, "colour"),      # unknown field
        ("/api/dcim/sites/", {"name": "S", "slug": "s", "latitude": "north"}, "latitude"),  # wrong type
        ("/api/dcim/sites/", {"name": "S", "slug": "s", "region": 999}, "region"),        # unknown pk
        ("/api/dcim/sites/", {"name": "S", "slug": "s", "status": "sleeping"}, "status"),  # bad choice
        ("/api/dcim/sites/", {"name": "DC1", "slug": "other"}, "name"),                    # duplicate
        ("/api/ipam/prefixes/", {"prefix": "10.0.0.0/33"}, "prefix"),                      # malformed prefix
        ("/api/ipam/prefixes/", {"prefix": "10.0.0.1/24"}, "prefix"),                      # Prefix.clean()
        ("/api/ipam/ip-addresses/", {"address": "10.0.0.1"}, "address"),                  # no mask
        ("/api/dcim/devices/", {"name": "sw0", **refs}, "non_field_errors"),
    ]
    for url, body, field in cases:
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    assert Site.objects.count() == 1


def test_not_found_and_protected_delete(api):
    site = make_site(devices=1)
    missing = api.get("/api/dcim/sites/999/")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"
    blocked = api.delete(f"/api/dcim/sites/{site.pk}/")
    assert blocked.status_code == 409 and "sw0" in str(blocked.json()["dependent_objects"])
    assert Site.objects.filter(pk=site.pk).exists()


def test_listing_1000_devices_is_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    make_site(devices=1000)
    with override_settings(MAX_PAGE_SIZE=1000), django_assert_max_num_queries(10):
        response = api.get("/api/dcim/devices/?limit=1000")
    assert len(response.json()["results"]) == 1000


def test_session_login_and_the_browsable_api(client, superuser):
    make_site(devices=1)
    client.force_login(superuser)
    for url in ("/api/", "/api/dcim/devices/", "/api/dcim/devices/?brief=1", "/api/ipam/ip-addresses/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200 and b"<html" in response.content.lower()
