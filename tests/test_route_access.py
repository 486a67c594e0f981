"""Every route the engine adds, against every kind of caller: a route missing from ROUTES fails.

The routes are read from Django's resolver (the engine's URL map, ``netbox_userscripts.urls``),
so a route added without a line here fails ``test_every_route_has_a_rule``. Each line says,
for one request to the route, what each kind of caller gets:

- ``anonymous``: no login, LOGIN_REQUIRED on; ``open``: no login, LOGIN_REQUIRED off;
- ``plain``: logged in, no permission; ``staff``: ``is_staff``, no permission;
- ``permitted``: logged in with the route's permissions (``STAFF`` among them: ``is_staff``);
- ``cross_site``: the permitted session, sent by another site's page (``Origin``, ``Sec-Fetch-Site``);
- ``token_plain`` / ``token_permitted``: ``Authorization: Token`` of a user without / with them.

Outcomes: ``OK`` served (or let in and told what is wrong with the request, a 400), ``NO``
refused (a redirect to the login page, 401 or 403), ``EMPTY`` served with no object listed.
Inside NetBox, ``tests/netbox_plugin/test_route_access.py`` adds the callers only NetBox has
(a permission constrained to another module, a read-only token).
"""
import contextlib
import secrets
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver

from netbox_userscripts import urls as engine_urls
from netbox_userscripts.scripts.models import JobResult

OK, NO, EMPTY = "ok", "refused", "empty"
CALLERS = ("anonymous", "open", "plain", "staff", "permitted", "cross_site", "token_plain", "token_permitted")
PERMITTED = ("permitted", "cross_site", "token_permitted")
EVIL_ORIGIN = "https://evil.example"

PROBE = """
from dcim.models import Site
from netbox_userscripts.jobs import Job, ObjectVar


def call(**kwargs):
    return "called"


class Probe(Job):
    site = ObjectVar(model=Site, required=False)

    def run(self, data, commit):
        self.logger.info("probed")
"""


@dataclass
class Probe:
    """One request to a route and what each caller gets (``expect`` overrides the kind's defaults)."""

    method: str
    path: str
    permissions: tuple = ()
    defaults: dict = field(default_factory=dict)
    expect: dict = field(default_factory=dict)
    data: dict = None
    json: bool = False
    lists_objects: bool = False  # a JSON list of objects: EMPTY tells an empty one from OK

    def outcome(self, caller):
        return self.expect.get(caller, self.defaults[caller])


def _kind(**outcomes):
    return dict(dict.fromkeys(CALLERS, OK), **outcomes)


# A page any logged-in user reads (pages take no token: a token caller is anonymous there).
LOGIN_PAGE = _kind(anonymous=NO, token_plain=NO, token_permitted=NO)
# A page or an API read that needs a permission; reads answer a cross-site session (nothing changes).
PERMISSION_PAGE = _kind(anonymous=NO, open=NO, plain=NO, staff=NO, token_plain=NO,
                        token_permitted=NO)
STAFF_PAGE = _kind(anonymous=NO, open=NO, plain=NO, token_plain=NO, token_permitted=NO)
# Objects of a job's variable: only those the caller may view elsewhere (with LOGIN_REQUIRED off, anyone may).
CHOICES = dict(LOGIN_PAGE, plain=EMPTY, staff=EMPTY)
LOGIN_READ = _kind(anonymous=NO)
PERMISSION_READ = _kind(anonymous=NO, open=NO, plain=NO, staff=NO, token_plain=NO)
STAFF_READ = _kind(anonymous=NO, open=NO, plain=NO, token_plain=NO)
# The metrics: a staff session (a Bearer token: tests/test_metrics.py), anyone with LOGIN_REQUIRED off, as NetBox's.
METRICS_READ = _kind(anonymous=NO, plain=NO, token_plain=NO, token_permitted=NO)
# What writes: a permission, and never for a cross-site session.
WRITE = _kind(anonymous=NO, open=NO, plain=NO, staff=NO, cross_site=NO, token_plain=NO)
PAGE_WRITE = dict(WRITE, token_plain=NO, token_permitted=NO)

JOB = "local/probe/Probe"
RUN = {"_commit": "on"}
CALL = ("call_userscript",)
VIEW_RESULTS = ("view_jobresult",)
STAFF = "is_staff"  # not a permission: the user is staff (the engine's pages and lists are the admin's)

ROUTES = {
    "userscript/": [
        Probe("get", "/userscript/?script=probe", CALL, WRITE),
        Probe("post", "/userscript/", CALL, WRITE, data={"script": "probe"}),
    ],
    "userscripts/": [Probe("get", "/userscripts/", (STAFF,), STAFF_PAGE)],
    "metrics": [Probe("get", "/metrics", (STAFF,), METRICS_READ)],
    "api/userscripts/": [Probe("get", "/api/userscripts/", (STAFF,), STAFF_READ)],
    "api/userscripts/log/": [Probe("get", "/api/userscripts/log/", (STAFF,), STAFF_READ)],
    "api/userscripts/tasks/": [Probe("get", "/api/userscripts/tasks/", (STAFF,), STAFF_READ)],
    "api/userscripts/stats/": [Probe("get", "/api/userscripts/stats/", (STAFF,), STAFF_READ)],
    # Answered 400 (USERSCRIPTS_GIT is not set) once let in: the permission check comes first.
    "api/userscripts/sync/": [Probe("post", "/api/userscripts/sync/", ("sync_userscripts",), WRITE)],
    "api/userscripts/processes/": [
        Probe("get", "/api/userscripts/processes/", ("view_userscriptprocess",), PERMISSION_READ)],
    "jobs/": [Probe("get", "/jobs/", (), LOGIN_PAGE)],
    "jobs/results/": [Probe("get", "/jobs/results/", (), LOGIN_PAGE)],
    "jobs/results/<int:pk>/": [Probe("get", "/jobs/results/{result}/", VIEW_RESULTS, PERMISSION_PAGE)],
    "jobs/results/<int:pk>/output/": [
        Probe("get", "/jobs/results/{result}/output/", VIEW_RESULTS, PERMISSION_PAGE)],
    "jobs/local/<str:module>/<str:class_name>/": [
        Probe("get", f"/jobs/{JOB}/", (), LOGIN_PAGE),
        Probe("post", f"/jobs/{JOB}/", ("run_job",), PAGE_WRITE, data=RUN),
    ],
    "jobs/<str:name>/": [
        Probe("get", "/jobs/probe.Probe/", (), LOGIN_PAGE),
        Probe("post", "/jobs/probe.Probe/", ("run_job",), PAGE_WRITE, data=RUN),
    ],
    # Only the objects the caller may view: the site's view permission.
    "jobs/local/<str:module>/<str:class_name>/choices/<str:var>/": [
        Probe("get", f"/jobs/{JOB}/choices/site/", ("view_site",), CHOICES, lists_objects=True)],
    "jobs/<str:name>/choices/<str:var>/": [
        Probe("get", "/jobs/probe.Probe/choices/site/", ("view_site",), CHOICES, lists_objects=True)],
    "api/extras/": [Probe("get", "/api/extras/", (), LOGIN_READ)],
    "api/extras/jobs/": [Probe("get", "/api/extras/jobs/", (), LOGIN_READ)],
    "api/extras/scripts/": [Probe("get", "/api/extras/scripts/", (), LOGIN_READ)],
    "api/extras/jobs/local/<str:module>/<str:class_name>/": [Probe("get", f"/api/extras/jobs/{JOB}/", (), LOGIN_READ)],
    "api/extras/jobs/<str:name>/": [Probe("get", "/api/extras/jobs/probe.Probe/", (), LOGIN_READ)],
    "api/extras/jobs/local/<str:module>/<str:class_name>/run/": [
        Probe("post", f"/api/extras/jobs/{JOB}/run/", ("run_job",), WRITE, data={"commit": True}, json=True)],
    "api/extras/jobs/<str:name>/run/": [
        Probe("post", "/api/extras/jobs/probe.Probe/run/", ("run_job",), WRITE, data={"commit": True}, json=True)],
    "api/extras/scripts/local/<str:module>/<str:class_name>/": [
        Probe("get", f"/api/extras/scripts/{JOB}/", (), LOGIN_READ)],
    "api/extras/scripts/<str:name>/": [Probe("get", "/api/extras/scripts/probe.Probe/", (), LOGIN_READ)],
    "api/extras/job-results/": [Probe("get", "/api/extras/job-results/", VIEW_RESULTS, PERMISSION_READ)],
    "api/extras/job-results/<int:pk>/": [
        Probe("get", "/api/extras/job-results/{result}/", VIEW_RESULTS, PERMISSION_READ)],
}


def engine_routes(patterns=None, prefix=""):
    """Every route of the engine's URL map, as Django writes its pattern (``jobs/results/<int:pk>/``)."""
    routes = []
    for pattern in engine_urls.urlpatterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += engine_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def test_every_route_has_a_rule():
    routes = engine_routes()
    assert len(routes) > 20  # the walk found the map, not an empty list
    assert sorted(set(routes) - set(ROUTES)) == [], "routes without a line in ROUTES (who may reach them?)"
    assert sorted(set(ROUTES) - set(routes)) == [], "lines in ROUTES for routes the engine no longer has"


@pytest.fixture
def world(userscripts, django_user_model, token_for, settings):
    """The probe module loaded, a site to choose, and a result of somebody else's run."""
    from dcim.models import Site

    userscripts.load_module("probe", PROBE)
    settings.METRICS_ENABLED = True  # else /metrics is a 404 for everyone
    Site.objects.create(name="Hidden site", slug="hidden-site")
    owner = django_user_model.objects.create_user("owner", password="pw")
    return {"result": JobResult.objects.create(job_name="probe.Probe", user=owner).pk}


def _client_for(caller, name, probe, django_user_model, token_for):
    """A client and the headers it sends as ``caller`` (a new user ``name`` where it has one)."""
    client = Client(enforce_csrf_checks=True)
    if caller in ("anonymous", "open"):
        return client, {}
    is_staff = caller == "staff" or (STAFF in probe.permissions and caller in PERMITTED)
    user = django_user_model.objects.create_user(name, password="pw", is_staff=is_staff)
    if caller in PERMITTED:
        user.user_permissions.add(*Permission.objects.filter(codename__in=probe.permissions))
    if caller.startswith("token_"):
        return client, {"HTTP_AUTHORIZATION": f"Token {token_for(user)}"}
    client.force_login(user)
    # A form or a script of this site's own pages sends the CSRF cookie back in a header, and
    # the browser says where the request comes from.
    csrf = secrets.token_hex(16)
    client.cookies["csrftoken"] = csrf
    headers = {"HTTP_X_CSRFTOKEN": csrf, "HTTP_SEC_FETCH_SITE": "same-origin"}
    if caller == "cross_site":
        headers.update(HTTP_ORIGIN=EVIL_ORIGIN, HTTP_SEC_FETCH_SITE="cross-site", HTTP_REFERER=f"{EVIL_ORIGIN}/page")
    return client, headers


def _send(client, probe, path, headers):
    if probe.method == "get":
        return client.get(path, **headers)
    if probe.json:
        return client.post(path, probe.data, content_type="application/json", **headers)
    return client.post(path, probe.data, **headers)


def _outcome(response, probe):
    status = response.status_code
    if status in (401, 403) or (status == 302 and "/login/" in response["Location"]):
        return NO
    if status <= 400:  # 400: let in, then told what is wrong with the request
        return EMPTY if probe.lists_objects and response.json()["results"] == [] else OK
    return f"status {status}"


def _open_settings(settings):
    """LOGIN_REQUIRED off, as a configuration.py saying so starts the project (no login middleware)."""
    middleware = [m for m in settings.MIDDLEWARE if not m.endswith("LoginRequiredMiddleware")]
    return override_settings(LOGIN_REQUIRED=False, MIDDLEWARE=middleware)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_who_may_reach(route, world, django_user_model, token_for, settings):
    got, expected, answers = {}, {}, {}
    for index, probe in enumerate(ROUTES[route]):
        for caller in CALLERS:
            client, headers = _client_for(caller, f"{caller}-{index}", probe, django_user_model, token_for)
            with _open_settings(settings) if caller == "open" else contextlib.nullcontext():
                response = _send(client, probe, probe.path.format(**world), headers)
            key = f"{probe.method} as {caller}"
            got[key], expected[key] = _outcome(response, probe), probe.outcome(caller)
            answers[key] = (response.status_code, response.content.decode(errors="replace")[:200])
    wrong = {key: answers[key] for key in got if got[key] != expected[key]}
    assert got == expected, wrong
