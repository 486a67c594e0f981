"""The engine's pages hang on one template, ``netbox_userscripts/base.html``, that a host overrides.

The project overrides it with the admin's look (tests/test_home.py checks that); here the
engine's own default stands alone, and a host's override of that one template alone is
what every engine page is then built on.
"""
import copy
import re

import pytest

from netbox_userscripts.scripts.models import JobResult

JOB = """
from netbox_userscripts.jobs import Job, StringVar

class Ping(Job):
    word = StringVar()

    def run(self, data, commit):
        self.log_info("pong " + data["word"])
"""

HOST_BASE = """<!doctype html><html><head><title>{% block page_title %}{% endblock %} · Host</title>
{% block extrahead %}{% endblock %}</head>
<body data-host="elsewhere"><div id="host-crumbs">{% block breadcrumbs %}{% endblock %}</div>
{% block content %}{% endblock %}{% block extrabody %}{% endblock %}</body></html>
"""


@pytest.fixture
def pages(userscripts, admin_user):
    """Every engine page, as ``{path: (title, text on the page)}``."""
    userscripts.load_module("ping", JOB)
    result = JobResult.objects.create(class_path="local/ping/Ping", job_name="ping.Ping", name="Ping",
                                      user=admin_user, status="completed", output="pong out")
    return {"/userscripts/": ("Userscripts", "ping.py"), "/jobs/": ("Jobs", "local/ping/Ping"),
            "/jobs/local/ping/Ping/": ("Ping | Jobs", 'name="word"'),
            "/jobs/results/": ("Job results", f'href="/jobs/results/{result.pk}/"'),
            f"/jobs/results/{result.pk}/": (f"Ping #{result.pk} | Job results", "pong out")}


def with_template_dirs(settings, dirs):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = dirs
    settings.TEMPLATES = templates


def test_the_engine_default_stands_alone(admin_client, settings, pages):
    with_template_dirs(settings, [])  # without the project's overrides
    for path, (title, text) in pages.items():
        html = admin_client.get(path).content.decode()
        assert f"<title>{title}</title>" in html, path
        assert 'href="/static/netbox_userscripts/pages.css"' in html and text in html, path
        assert "admin/css/base.css" not in html and 'id="header"' not in html, path
        assert re.search(r'<nav aria-label="Breadcrumbs"><div class="breadcrumbs"><a href="/">Home</a>', html), path


def test_a_host_overrides_that_one_template(admin_client, settings, pages, tmp_path):
    (tmp_path / "netbox_userscripts").mkdir()
    (tmp_path / "netbox_userscripts" / "base.html").write_text(HOST_BASE)
    with_template_dirs(settings, [str(tmp_path)])
    for path, (title, text) in pages.items():
        html = admin_client.get(path).content.decode()
        assert f"<title>{title} · Host</title>" in html and 'data-host="elsewhere"' in html, path
        assert '<div id="host-crumbs"><div class="breadcrumbs">' in html and text in html, path
        assert "admin/css/base.css" not in html and "pages.css" not in html, path
    # the page scripts still come through the host's extrabody block
    assert "box.dataset.url" in admin_client.get("/userscripts/").content.decode()
    assert "form.dataset.choicesBase" in admin_client.get("/jobs/local/ping/Ping/").content.decode()
