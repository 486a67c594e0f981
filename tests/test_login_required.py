"""With LOGIN_REQUIRED, every page and endpoint but the login page refuses anonymous users."""
import pytest

PAGES = ["/", "/admin/", "/jobs/", "/jobs/results/", "/userscripts/", "/admin/dcim/device/"]
API = ["/api/", "/api/status/", "/api/dcim/devices/", "/api/ipam/prefixes/", "/api/tenancy/tenants/",
       "/api/extras/jobs/", "/api/extras/job-results/", "/api/userscripts/", "/api/userscripts/log/",
       "/api/schema/", "/api/docs/", "/userscript/?script=anything"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_pages_redirect_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(("/login/", "/admin/login/"))


@pytest.mark.django_db
@pytest.mark.parametrize("path", API)
def test_api_refuses(client, path):
    assert client.get(path).status_code in (401, 403)


@pytest.mark.django_db
def test_login_page_is_open(client):
    assert client.get("/login/").status_code == 200


@pytest.mark.django_db
def test_no_call_without_a_login_even_of_a_module_anyone_may_call(client, settings):
    """USERSCRIPTS_ANONYMOUS_CALLS opens a module only where LOGIN_REQUIRED is off."""
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["anything"]
    assert client.get("/userscript/?script=anything").status_code == 401
    assert client.post("/userscript/", {"script": "anything"}).status_code == 401
