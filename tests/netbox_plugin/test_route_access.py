"""Every route the plugin adds to NetBox, against every kind of caller: a route missing from ROUTES fails.

The routes are read from the plugin's URL maps (``/userscript/``, ``/plugins/userscripts/...``,
``/api/plugins/userscripts/...``). The callers are NetBox's: anonymous; a session without
permission; with the plugin's actions (``view``, ``call``, ``run``, ``sync`` on "Userscripts >
userscript", ``view`` on the process table); the same actions constrained to another module;
that session sent by another site's page; tokens without, with and constrained, and a
read-only token (``write_enabled`` off) of the permitted user.

Outcomes as in the project's ``tests/test_route_access.py``: ``OK`` served (a 400 too: let in
and told what is wrong), ``NO`` refused (login redirect, 401, 403).
"""
import secrets
from dataclasses import dataclass, field

import pytest
import requests
from conftest import make_token
from django.urls import URLPattern, URLResolver

OK, NO = "ok", "refused"
CALLERS = ("anonymous", "plain", "permitted", "constrained", "cross_site",
           "token_plain", "token_permitted", "token_constrained", "token_read_only")
EVIL_ORIGIN = "https://evil.example"

USERSCRIPTS = {
    "gated.py": '''
        from extras.scripts import Script


        def call(**kwargs):
            return "called"


        class Noop(Script):
            def run(self, data, commit):
                return "ran"
    ''',
    "other.py": '''
        def call(**kwargs):
            return "other"
    ''',
}


@dataclass
class Probe:
    method: str
    path: str
    defaults: dict
    expect: dict = field(default_factory=dict)
    json: dict = None

    def outcome(self, caller):
        return self.expect.get(caller, self.defaults[caller])


def _kind(**outcomes):
    return dict(dict.fromkeys(CALLERS, OK), **outcomes)


NOBODY_ANONYMOUS = dict(anonymous=NO, plain=NO, token_plain=NO)
# NetBox's pages take no token: a token caller is anonymous there.
PAGE = _kind(**NOBODY_ANONYMOUS, token_permitted=NO, token_constrained=NO, token_read_only=NO)
READ = _kind(**NOBODY_ANONYMOUS)
# What acts on the module gated: refused to a permission constrained to another module.
MODULE_PAGE = dict(PAGE, constrained=NO)
MODULE_WRITE = _kind(**NOBODY_ANONYMOUS, constrained=NO, token_constrained=NO, cross_site=NO, token_read_only=NO)
WRITE = _kind(**NOBODY_ANONYMOUS, cross_site=NO, token_read_only=NO)
MODULE_PAGE_WRITE = dict(MODULE_WRITE, token_permitted=NO)

ROUTES = {
    "userscript/": [Probe("get", "/userscript/?script=gated", MODULE_WRITE)],
    "plugins/userscripts/": [Probe("get", "/plugins/userscripts/", PAGE)],
    "plugins/userscripts/call/": [Probe("get", "/plugins/userscripts/call/?script=gated", MODULE_WRITE)],
    "plugins/userscripts/scripts/<str:name>/": [
        Probe("get", "/plugins/userscripts/scripts/gated.Noop/", MODULE_PAGE),
        Probe("post", "/plugins/userscripts/scripts/gated.Noop/", MODULE_PAGE_WRITE),
    ],
    # a run of gated.Noop started by the permitted user (``permitted_run``)
    "plugins/userscripts/results/<int:pk>/": [Probe("get", "/plugins/userscripts/results/{run}/", MODULE_PAGE)],
    "api/plugins/userscripts/": [Probe("get", "/api/plugins/userscripts/", READ)],
    "api/plugins/userscripts/log/": [Probe("get", "/api/plugins/userscripts/log/", READ)],
    "api/plugins/userscripts/sync/": [Probe("post", "/api/plugins/userscripts/sync/", WRITE)],
    "api/plugins/userscripts/processes/": [Probe("get", "/api/plugins/userscripts/processes/", READ)],
    "api/plugins/userscripts/tasks/": [Probe("get", "/api/plugins/userscripts/tasks/", READ)],
    "api/plugins/userscripts/stats/": [Probe("get", "/api/plugins/userscripts/stats/", READ)],
    "api/plugins/userscripts/modules/": [Probe("get", "/api/plugins/userscripts/modules/", READ)],
    "api/plugins/userscripts/scripts/": [Probe("get", "/api/plugins/userscripts/scripts/", READ)],
    "api/plugins/userscripts/scripts/<str:name>/run/": [
        Probe("post", "/api/plugins/userscripts/scripts/gated.Noop/run/", MODULE_WRITE,
              json={"data": {}, "commit": False})],
}


def plugin_routes():
    """The routes the plugin adds, as Django writes their patterns, under where NetBox mounts each map."""
    from netbox_userscripts.netbox_plugin import api_urls, root_urls, urls

    def walk(patterns, prefix):
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                continue  # root_urls' include of NetBox's own map: not the plugin's
            if isinstance(pattern, URLPattern):
                found.append(prefix + str(pattern.pattern))
        return found

    return (walk(root_urls.urlpatterns, "") + walk(urls.urlpatterns, "plugins/userscripts/")
            + walk(api_urls.urlpatterns, "api/plugins/userscripts/"))


def test_every_route_has_a_rule():
    routes = plugin_routes()
    assert "userscript/" in routes and len(routes) > 8
    assert sorted(set(routes) - set(ROUTES)) == [], "routes without a line in ROUTES (who may reach them?)"
    assert sorted(set(ROUTES) - set(routes)) == [], "lines in ROUTES for routes the plugin no longer has"


def _grant(user, constraints=None):
    from core.models import ObjectType
    from users.models import ObjectPermission

    from netbox_userscripts.fleet.models import UserscriptProcess
    from netbox_userscripts.models import Userscript

    userscripts = ObjectPermission.objects.create(
        name=f"userscripts for {user}", actions=["view", "call", "run", "sync"], constraints=constraints)
    userscripts.object_types.set([ObjectType.objects.get_for_model(Userscript)])
    userscripts.users.add(user)
    table = ObjectPermission.objects.create(name=f"processes for {user}", actions=["view"])
    table.object_types.set([ObjectType.objects.get_for_model(UserscriptProcess)])
    table.users.add(user)


@pytest.fixture(scope="module")
def callers(nb):
    """``{caller: (requests session, headers)}`` for every kind of caller."""
    from users.models import Token, User

    made = {"anonymous": (requests.Session(), {})}
    for name in ("plain", "permitted", "constrained"):
        user = User.objects.create_user(name, f"{name}@example.com", f"{name}-password")
        if name == "permitted":
            _grant(user)
        elif name == "constrained":
            _grant(user, {"name__in": ["other"]})
        session = nb.session(name, f"{name}-password")
        session.get(f"{nb.url}/plugins/userscripts/", timeout=30)  # NetBox's pages set the CSRF cookie
        csrf = session.cookies.get("csrftoken") or secrets.token_hex(16)
        session.cookies.set("csrftoken", csrf)
        made[name] = (session, {"X-CSRFToken": csrf, "Referer": f"{nb.url}/"})
        made[f"token_{name}"] = (requests.Session(), {"Authorization": make_token(user, 1)})
        if name == "permitted":
            read_only = Token(user=user, version=1, write_enabled=False)
            read_only.save()
            made["token_read_only"] = (requests.Session(),
                                       {"Authorization": read_only.get_auth_header_prefix() + read_only.token})
            made["cross_site"] = (session, {"X-CSRFToken": csrf, "Origin": EVIL_ORIGIN, "Referer": f"{EVIL_ORIGIN}/",
                                            "Sec-Fetch-Site": "cross-site"})
    return made


def _outcome(response):
    status = response.status_code
    if status in (401, 403) or (status == 302 and "/login/" in response.headers["Location"]):
        return NO
    return OK if status <= 400 else f"status {status}"


@pytest.fixture(scope="module")
def permitted_run(nb, callers):
    """The id of a userscript run the permitted user started."""
    session, headers = callers["token_permitted"]
    answer = session.post(f"{nb.url}/api/plugins/userscripts/scripts/gated.Noop/run/", headers=headers,
                          json={"data": {}, "commit": False}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["id"]


@pytest.mark.parametrize("route", ROUTES)
def test_who_may_reach(nb, callers, permitted_run, route):
    got, expected, answers = {}, {}, {}
    for probe in ROUTES[route]:
        for caller in CALLERS:
            session, headers = callers[caller]
            headers = {"Accept": "application/json", **headers} if route.startswith("api/") else headers
            path = probe.path.format(run=permitted_run)
            response = session.request(probe.method, f"{nb.url}{path}", headers=headers, json=probe.json,
                                       allow_redirects=False, timeout=60)
            key = f"{probe.method} as {caller}"
            got[key], expected[key] = _outcome(response), probe.outcome(caller)
            answers[key] = (response.status_code, response.text[:200])
    wrong = {key: answers[key] for key in got if got[key] != expected[key]}
    assert got == expected, wrong
