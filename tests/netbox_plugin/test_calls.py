"""``/userscript/?script=NAME`` at NetBox's root and under the plugin: NetBox's tokens, sessions and permissions.

A session calls only from NetBox's own pages (no cross-site request acts as the user), a POST with
NetBox's CSRF token; a token calls from anywhere, but a read-only token not at all.
"""
import os
import uuid

import pytest
import requests
from conftest import csrf

USERSCRIPTS = {
    "hello.py": '''
        def call(name="world", **kwargs):
            return f"hello {name}"
    ''',
    "make_site.py": '''
        from dcim.models import Site


        def call(name, **kwargs):
            return Site.objects.create(name=name, slug=name).slug
    ''',
}
CALLS = ["/userscript/", "/plugins/userscripts/call/"]


@pytest.fixture(scope="module")
def caller(nb):
    """A user without the permission, with a v1 token; ``grant()`` gives it through an ObjectPermission."""
    from conftest import make_token
    from core.models import ObjectType
    from users.models import ObjectPermission, User

    from netbox_userscripts.models import Userscript

    user = User.objects.create_user("caller", "caller@example.com", "caller-password")
    token = make_token(user, 1)

    def grant():
        permission = ObjectPermission.objects.create(name="call userscripts", actions=["call"])
        permission.object_types.set([ObjectType.objects.get_for_model(Userscript)])
        permission.users.add(user)

    return token, grant


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_netbox_token_calls(nb, version):
    answer = nb.api("GET", "/userscript/?script=hello&name=token", token=version)
    assert answer.status_code == 200, answer.text
    assert answer.text == "hello token"
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_the_call_is_also_under_the_plugin(nb):
    answer = nb.api("GET", "/plugins/userscripts/call/?script=hello&name=plugin")
    assert (answer.status_code, answer.text) == (200, "hello plugin")


def site_exists(slug):
    from dcim.models import Site

    return Site.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"},
                                     {"Referer": "{url}/dcim/sites/"}])
def test_a_session_calls_from_netboxs_own_pages(nb, path, headers):
    headers = {key: value.format(url=nb.url) for key, value in headers.items()}
    answer = nb.session().get(f"{nb.url}{path}?script=hello", headers=headers, timeout=30)
    assert (answer.status_code, answer.text) == (200, "hello world")


@pytest.mark.parametrize("path", CALLS)
@pytest.mark.parametrize("headers", [
    {"Sec-Fetch-Site": "cross-site", "Referer": "https://evil.example/page"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Referer": "https://evil.example/page"},
    {},  # nothing says where it comes from
])
def test_a_cross_site_session_call_is_refused_and_writes_nothing(nb, path, headers):
    slug = f"forged-{uuid.uuid4().hex[:8]}"
    answer = nb.session().get(f"{nb.url}{path}?script=make_site&name={slug}", headers=headers, timeout=30)
    assert answer.status_code == 403 and "Cross-site request refused" in answer.text, answer.text
    assert not site_exists(slug)


def test_a_token_calls_whatever_the_page_it_comes_from(nb):
    answer = nb.api("GET", "/userscript/?script=hello", headers={"Sec-Fetch-Site": "cross-site",
                                                                  "Origin": "https://elsewhere.example"})
    assert (answer.status_code, answer.text) == (200, "hello world")


@pytest.mark.parametrize("path", CALLS)
def test_a_session_posts_a_form_with_netboxs_csrf_token(nb, path):
    session = nb.session()
    page = session.get(f"{nb.url}/dcim/sites/add/", timeout=30)
    headers = {"Referer": f"{nb.url}/dcim/sites/add/"}
    answer = session.post(f"{nb.url}{path}", headers=headers, timeout=30, data={
        "script": "hello", "name": "form", "csrfmiddlewaretoken": csrf(page.text)})
    assert (answer.status_code, answer.text) == (200, "hello form")
    forged = session.post(f"{nb.url}{path}?script=make_site", headers=headers, timeout=30, data={"name": "no-csrf"})
    assert forged.status_code == 403 and "CSRF" in forged.text, forged.text
    assert not site_exists("no-csrf")


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_token_posts_json_without_csrf(nb, version):
    answer = nb.api("POST", "/userscript/", token=version, json={"script": "make_site", "name": f"json-{version}"})
    assert (answer.status_code, answer.text) == (200, f"json-{version}")
    assert site_exists(f"json-{version}")
    not_an_object = nb.api("POST", "/userscript/?script=hello", token=version, json=["a"])
    assert not_an_object.status_code == 400 and "JSON body must be an object" in not_an_object.text


@pytest.mark.parametrize("version", [1, 2])
def test_a_read_only_token_is_refused_as_netbox_refuses_it_for_scripts(nb, version):
    from users.models import Token

    token = Token(user=nb.admin, version=version, write_enabled=False)
    token.save()
    header = token.get_auth_header_prefix() + token.token
    answer = requests.get(f"{nb.url}/userscript/?script=make_site&name=read-only-{version}",
                          headers={"Authorization": header}, timeout=30)
    assert answer.status_code == 403 and "read-only" in answer.text, answer.text
    assert not site_exists(f"read-only-{version}")


def test_no_or_a_bad_login_is_a_401(nb):
    assert requests.get(f"{nb.url}/userscript/?script=hello", timeout=30).status_code == 401
    bad = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": "Token " + "0" * 40}, timeout=30)
    assert bad.status_code == 401 and "Invalid v1 token" in bad.text


def test_an_unknown_script_is_a_404(nb):
    assert nb.api("GET", "/userscript/?script=nope").status_code == 404


def test_the_permission_comes_from_netboxs_object_permissions(nb, caller):
    token, grant = caller
    refused = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": token}, timeout=30)
    assert refused.status_code == 403
    assert "netbox_userscripts.call_userscript" in refused.text
    grant()
    allowed = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": token}, timeout=30)
    assert (allowed.status_code, allowed.text) == (200, "hello world")


def test_netbox_runs_as_it_is_installed(nb):
    """The wheel's ``netbox`` command, or (the source pass, NETBOX_SOURCE) a source tree's manage.py."""
    from django.conf import settings

    source = os.environ.get("NBTEST_MANAGE")
    assert settings.NETBOX_INSTALL_MODE == ("checkout" if source else "wheel")
    started = [nb.manage_command[0], source] if source else [nb.manage_command[0], "runserver"]
    assert nb.server.process.args[:2] == started
    assert nb.api("GET", "/userscript/?script=hello").text == "hello world"
