"""The home page ``/`` and the header shared by every page: counts, userscripts, results, log, links."""
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from netbox_userscripts.log import central as log
from netbox_userscripts.scripts.models import JobResult

dcim = pytest.importorskip("dcim.models")

BROKEN = "raise RuntimeError('home page broken on purpose')\n"
GOOD = """
from netbox_userscripts.jobs import Job

class Ping(Job):
    def run(self, data, commit):
        return "pong"
"""


def count_cell(html, label):
    """The number shown beside ``label`` in the object counts."""
    match = re.search(rf">{re.escape(label)}(?:</a>)?</span>\s*<span class=\"count\">(\d+)</span>", html)
    assert match, f"no count for {label!r}"
    return int(match.group(1))


@pytest.fixture
def site(db):
    return dcim.Site.objects.create(name="Amsterdam 1", slug="ams1")


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("plain", password="plain-pass")


def test_anonymous_goes_to_the_login(client, settings):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/"
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LoginRequired" not in m]
    response = client.get("/")  # the view asks for a login itself too
    assert response.status_code == 302 and response["Location"] == "/login/?next=/"


def test_counts_every_model_of_the_data_apps(admin_client, site):
    dcim.Region.objects.create(name="Europe", slug="europe")
    html = admin_client.get("/").content.decode()
    assert count_cell(html, "Sites") == 1 and count_cell(html, "Regions") == 1 and count_cell(html, "Devices") == 0
    assert 'href="/admin/dcim/site/"' in html
    for label in ("dcim", "ipam", "tenancy"):
        for model in apps.get_app_config(label).get_models():
            count_cell(html, str(model._meta.verbose_name_plural[0].upper() + model._meta.verbose_name_plural[1:]))
    # the engine's and Django's own models are not "objects"
    for label in ("Job results", "Users", "Permissions", "Tokens"):
        with pytest.raises(AssertionError):
            count_cell(html, label)


def test_userscripts_results_and_log_lines(admin_client, admin_user, userscripts):
    userscripts.write("broken.py", BROKEN)
    userscripts.write("ping.py", GOOD)
    userscripts.load()
    log.logger_for("ping").warning("a line for the home page")
    result = JobResult.objects.create(class_path="local/ping/Ping", job_name="ping.Ping", name="Ping",
                                      user=admin_user, status="completed")
    html = admin_client.get("/").content.decode()
    assert "Userscripts: 1 loaded, 1 failed" in html
    assert "home page broken on purpose" in html and 'href="/userscripts/?script=broken"' in html
    assert f'href="/jobs/results/{result.pk}/"' in html and "status-completed" in html
    assert "WARNING ping.py: a line for the home page" in html


def test_links_to_admin_api_docs_and_jobs(admin_client, db):
    html = admin_client.get("/").content.decode()
    for url in ("/admin/", "/api/", "/api/docs/", "/jobs/", "/jobs/results/", "/userscripts/"):
        assert f'href="{url}"' in html, url
    assert "No results yet" in html


def test_a_user_sees_what_he_may_see(client, plain_user, admin_user, site):
    JobResult.objects.create(class_path="local/x/Mine", job_name="x.Mine", user=plain_user, status="completed")
    JobResult.objects.create(class_path="local/x/Theirs", job_name="x.Theirs", user=admin_user, status="failed")
    plain_user.user_permissions.add(Permission.objects.get(codename="view_site"))
    client.force_login(plain_user)
    html = client.get("/").content.decode()
    assert count_cell(html, "Sites") == 1 and "Devices" not in html
    assert "x.Mine" in html and "x.Theirs" not in html
    assert "Userscripts:" not in html and "Last log lines" not in html
    assert 'href="/admin/"' not in html and 'href="/userscripts/"' not in html


def test_header_on_every_page(admin_client, userscripts):
    userscripts.load_module("ping", GOOD)
    result = JobResult.objects.create(class_path="local/ping/Ping", job_name="ping.Ping", status="completed")
    pages = {"/": "Home", "/userscripts/": "Userscripts", "/jobs/": "Jobs", "/jobs/local/ping/Ping/": "Ping",
             "/jobs/results/": "Results", f"/jobs/results/{result.pk}/": f"#{result.pk}"}
    for path, crumb in pages.items():
        html = admin_client.get(path).content.decode()
        assert 'href="/static/admin/css/base.css"' in html, path
        assert 'href="/static/netbox_userscripts/pages.css"' in html, path
        assert re.search(r"Welcome,\s*<strong>admin</strong>", html), path
        assert '<form id="logout-form" method="post" action="/logout/">' in html, path
        breadcrumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
        assert breadcrumbs.rstrip().endswith(crumb), (path, breadcrumbs)
        assert path == "/" or breadcrumbs.startswith('<a href="/">Home</a>'), path
        assert "| netbox-userscripts</title>" in html, path


def test_admin_links_to_the_other_pages(admin_client):
    html = admin_client.get("/admin/").content.decode()
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, re.S).group(0)
    for url in ("/", "/userscripts/", "/jobs/", "/jobs/results/", "/api/docs/"):
        assert f'href="{url}"' in nav, url
    assert '<div id="site-name"><a href="/">netbox-userscripts</a></div>' in html


def test_non_staff_header_has_no_admin_links(client, plain_user):
    client.force_login(plain_user)
    html = client.get("/jobs/").content.decode()
    assert re.search(r"Welcome,\s*<strong>plain</strong>", html)
    nav = re.search(r'<nav id="site-nav".*?</nav>', html, re.S).group(0)
    assert 'href="/jobs/"' in nav and 'href="/admin/"' not in nav and 'href="/userscripts/"' not in nav


def test_log_out_from_a_page(admin_client):
    response = admin_client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert admin_client.get("/jobs/").status_code == 302


def test_login_page_in_the_admin_look(client, plain_user):
    html = client.get("/login/").content.decode()
    assert 'href="/static/admin/css/login.css"' in html and 'id="login-form"' in html
    assert "Welcome," not in html and 'id="site-nav"' not in html
    response = client.post("/login/", {"username": "plain", "password": "plain-pass", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_without_login_required_anyone_reads_the_counts(client, settings, site):
    settings.LOGIN_REQUIRED = False
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LoginRequired" not in m]
    html = client.get("/").content.decode()
    assert count_cell(html, "Sites") == 1  # as GET /api/dcim/sites/ answers them
    assert "Userscripts:" not in html and "Last log lines" not in html and 'href="/admin/"' not in html
    assert 'href="/login/?next=/"' in html and "Welcome," not in html


def test_not_found_and_refused_pages_in_the_same_look(admin_client, client, plain_user, db):
    response = admin_client.get("/jobs/local/nothing/Here/")
    html = response.content.decode()
    assert response.status_code == 404 and "<h1>Not found</h1>" in html
    assert "nothing.Here" in html and "There is no page at" not in html  # the view's reason
    assert re.search(r"Welcome,\s*<strong>admin</strong>", html) and "| netbox-userscripts</title>" in html
    html = admin_client.get("/no/such/page/").content.decode()
    assert "There is no page at <code>/no/such/page/</code>." in html
    client.force_login(plain_user)
    response = client.get("/userscripts/")
    html = response.content.decode()
    assert response.status_code == 403 and "The userscripts page is for staff users." in html
    assert re.search(r"Welcome,\s*<strong>plain</strong>", html)
