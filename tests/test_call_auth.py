"""Who may call ``/userscript/``, from outside: anonymous users, permissions, tokens, sessions from this site only.

The call under test writes (a group), so each refusal also proves nothing was written.
"""
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

MAKE_GROUP = """
    from django.contrib.auth.models import Group
    def call(name, **kwargs):
        return Group.objects.create(name=name).name
"""
TRUSTED = ["https://tools.example", "https://*.corp.example"]  # CSRF_TRUSTED_ORIGINS in these tests
CROSS_SITE = [
    {"HTTP_SEC_FETCH_SITE": "cross-site"},
    {"HTTP_SEC_FETCH_SITE": "same-site"},
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_REFERER": "https://evil.example/page"},
    {"HTTP_ORIGIN": "https://evil.example"},
    {"HTTP_ORIGIN": "null"},
    {"HTTP_ORIGIN": "https://testserver"},  # this host, but another scheme
    {"HTTP_REFERER": "http://testserver.evil.example/"},
    {"HTTP_REFERER": "https://corp.example.evil.example/"},
    {},  # nothing says where the request comes from
]
SAME_ORIGIN = [
    {"HTTP_SEC_FETCH_SITE": "same-origin"},
    {"HTTP_SEC_FETCH_SITE": "none"},  # typed into the address bar, or a bookmark
    {"HTTP_ORIGIN": "http://testserver"},
    {"HTTP_REFERER": "http://testserver/userscripts/"},
    {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://tools.example"},
    {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_REFERER": "https://noc.corp.example/page"},
]


@pytest.fixture
def scripts(userscripts, settings, db):
    settings.CSRF_TRUSTED_ORIGINS = TRUSTED
    userscripts.load_module("make_group", MAKE_GROUP)
    return userscripts


@pytest.fixture
def caller(django_user_model):
    user = django_user_model.objects.create_user("caller", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="call_userscript"))
    return user


def made(name):
    return Group.objects.filter(name=name).exists()


def call(client, name, **headers):
    return client.get(f"/userscript/?script=make_group&name={name}", **headers)


def session(user, **options):
    """A browser logged in as ``user`` on this site's pages."""
    client = Client(headers={"Sec-Fetch-Site": "same-origin"}, **options)
    client.force_login(user)
    return client


def with_token(token_for, user):
    return {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}


@pytest.mark.parametrize("login_required, listed, status", [
    (True, False, 401), (True, True, 401), (False, False, 401), (False, True, 200)])
def test_anonymous_calls_only_a_listed_module_without_login_required(scripts, client, settings, login_required,
                                                                       listed, status):
    settings.LOGIN_REQUIRED = login_required
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["make_group"] if listed else ["other"]
    response = call(client, "anonymous", HTTP_SEC_FETCH_SITE="cross-site")  # anonymous: no session to abuse
    assert response.status_code == status
    assert made("anonymous") == (status == 200)
    if status == 401:
        assert response["WWW-Authenticate"] == "Token"
        assert ("USERSCRIPTS_ANONYMOUS_CALLS" in response.content.decode()) == (not login_required)


def test_a_bad_token_is_refused(scripts, client, db):
    response = call(client, "x", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert response.status_code == 401 and not made("x")


@pytest.mark.parametrize("login_required", [True, False])
def test_a_user_without_the_permission_is_refused_by_session_and_token(scripts, settings, django_user_model,
                                                                         token_for, login_required):
    settings.LOGIN_REQUIRED = login_required
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["make_group"]  # anonymous users may; a logged-in user needs the permission
    user = django_user_model.objects.create_user("nobody", password="pw")
    by_session = call(session(user), "by-session")
    by_token = call(Client(), "by-token", **with_token(token_for, user))
    for response in (by_session, by_token):
        assert response.status_code == 403
        assert response.content == b"Permission netbox_userscripts.call_userscript is required.\n"
    assert not made("by-session") and not made("by-token")


@pytest.mark.parametrize("login_required", [True, False])
def test_a_user_with_the_permission_calls_by_session_and_token(scripts, settings, caller, token_for, login_required):
    settings.LOGIN_REQUIRED = login_required
    assert call(session(caller), "by-session").content == b"by-session"
    assert call(Client(), "by-token", **with_token(token_for, caller)).content == b"by-token"
    assert made("by-session") and made("by-token")


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_session_call_is_refused_and_writes_nothing(scripts, client, admin_user, headers):
    client.force_login(admin_user)
    response = call(client, "forged", **headers)
    assert response.status_code == 403
    text = response.content.decode()
    assert text.startswith("Cross-site request refused: ") and "call from this site's pages" in text
    assert not made("forged")


def test_the_refusal_says_why(scripts, client, admin_user):
    client.force_login(admin_user)
    said = call(client, "x", HTTP_SEC_FETCH_SITE="cross-site", HTTP_REFERER="https://evil.example/a?b").content
    assert b"Sec-Fetch-Site is cross-site, Referer https://evil.example is neither this site nor in " \
           b"CSRF_TRUSTED_ORIGINS" in said
    assert b"no Origin or Referer header shows it comes from this site" in call(client, "x").content


@pytest.mark.parametrize("headers", SAME_ORIGIN)
def test_a_session_call_from_this_site_or_a_trusted_origin_is_served(scripts, client, admin_user, headers):
    client.force_login(admin_user)
    response = call(client, "from-here", **headers)
    assert (response.status_code, response.content) == (200, b"from-here")


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_token_call_is_served_wherever_it_comes_from(scripts, caller, token_for, headers):
    response = call(Client(), "by-token", **with_token(token_for, caller), **headers)
    assert (response.status_code, response.content) == (200, b"by-token")


def csrf_token(client):
    """The CSRF token a page of this site gives its forms (the login page's)."""
    client.get("/login/")
    return client.cookies["csrftoken"].value


def test_a_session_post_needs_the_csrf_token(scripts, admin_user):
    browser = session(admin_user, enforce_csrf_checks=True)
    token = csrf_token(browser)
    refused = browser.post("/userscript/", {"script": "make_group", "name": "no-token"})
    assert refused.status_code == 403
    assert refused.content.decode().startswith("CSRF Failed: CSRF token missing.")
    assert not made("no-token")
    form = browser.post("/userscript/", {"script": "make_group", "name": "form", "csrfmiddlewaretoken": token})
    assert (form.status_code, form.content) == (200, b"form")
    as_json = browser.post("/userscript/", {"script": "make_group", "name": "json"}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert (as_json.status_code, as_json.content) == (200, b"json")


def test_a_cross_site_session_post_is_refused_even_with_the_csrf_token(scripts, admin_user):
    browser = session(admin_user, enforce_csrf_checks=True)
    answer = browser.post("/userscript/", {"script": "make_group", "name": "forged", "csrfmiddlewaretoken": csrf_token(
        browser)}, HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://evil.example")
    assert answer.status_code == 403 and not made("forged")


def test_a_token_post_needs_no_csrf_token(scripts, caller, token_for):
    client = Client(enforce_csrf_checks=True)
    token = with_token(token_for, caller)
    form = client.post("/userscript/?script=make_group", {"name": "form"}, **token)
    as_json = client.post("/userscript/", {"script": "make_group", "name": "json"}, content_type="application/json",
                          **token)
    assert (form.status_code, form.content, as_json.status_code, as_json.content) == (200, b"form", 200, b"json")


def test_an_anonymous_post_of_a_listed_module_needs_no_csrf_token(scripts, settings):
    settings.LOGIN_REQUIRED = False
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["make_group"]
    answer = Client(enforce_csrf_checks=True).post("/userscript/", {"script": "make_group", "name": "anyone"})
    assert (answer.status_code, answer.content) == (200, b"anyone")
