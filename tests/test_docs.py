"""The documentation's code samples: every ``docs/examples/*.py`` loads and does what its page says,
and every ``--8<--`` include of ``docs/`` names a file (and section) that exists.

``make test`` also builds the site with ``mkdocs build --strict``; these checks need no MkDocs.
"""
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from dcim.models import Device, Site
from extras.models import Tag
from netbox_userscripts import AbortEvent
from netbox_userscripts.hooks.context import host_branching
from tests.api_data import device_refs, make_site

PROJECT = Path(__file__).resolve().parent.parent
DOCS = PROJECT / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))
# pymdownx.snippets' one-line include: the marker alone on its line, then a quoted path (":section" optional).
INCLUDE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(?P<target>.+?)\1[ \t]*$""", re.MULTILINE)


def includes():
    return [pytest.param(match["target"], id=f"{page.name}:{match['target']}")
            for page in sorted(DOCS.rglob("*.md")) for match in INCLUDE.finditer(page.read_text())]


def log_text(userscripts):
    """The central log so far (the file is made by the first record)."""
    return userscripts.log.read_text() if userscripts.log.exists() else ""


def test_there_are_examples():
    assert {p.stem for p in EXAMPLES} >= {"committed_changes", "push_on_change", "rename_site", "device_counts"}


def test_every_example_loads(userscripts, db):
    userscripts.load_files(*EXAMPLES)
    assert "Traceback" not in log_text(userscripts)


@pytest.mark.parametrize("target", includes())
def test_every_include_names_a_file_that_exists(target):
    path, _, section = target.partition(":")
    assert (PROJECT / path).is_file(), f"{target}: no file {path} (paths are relative to the repository's root)"
    if section and not section[0].isdigit():  # a named section, not a line range
        text = (PROJECT / path).read_text()
        for end in ("start", "end"):
            assert re.search(rf"-+8<-+[ \t]+\[[ \t]*{end}[ \t]*:[ \t]*{re.escape(section)}[ \t]*\]", text), (
                f"{target}: {path} has no `--8<-- [{end}:{section}]` marker")


@pytest.mark.django_db(transaction=True)
def test_the_task_example_queues_pushes_and_survives_a_delete(userscripts):
    module = userscripts.load_files(DOCS / "examples" / "push_on_change.py")["push_on_change"]
    make_site()
    refs = device_refs()
    device = Device.objects.create(name="ams1-edge-sw-01", site_id=refs["site"], device_type_id=refs["device_type"],
                                   role_id=refs["role"])
    pk = device.pk
    with transaction.atomic():  # edited then deleted in one transaction: one change, a delete
        device.status = "offline"
        device.save()
        device.delete()
    queued = [r.args_kwargs["kwargs"] for r in DBTaskResult.objects.filter(task_path__endswith=".push_config")]
    assert queued == [{"device_id": pk}]  # the create; nothing for the delete
    module.push_config.call(device_id=pk)  # the queued run, once the device is gone
    text = log_text(userscripts)
    assert "Traceback" not in text
    assert f"device {pk} is gone, nothing to push" in text


def test_the_call_example_answers_json_with_a_repeated_parameter(userscripts, client, superuser, token_for):
    userscripts.load_files(DOCS / "examples" / "device_counts.py")
    make_site("AMS1", devices=2)
    make_site("FRA1", devices=1)
    token = {"HTTP_AUTHORIZATION": f"Token {token_for(superuser)}"}  # as the page's curl sends it
    answer = client.get("/userscript/?script=device_counts&site=ams1&site=fra1", **token)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"sites": ["ams1", "fra1"], "devices": {"active": 3}}
    assert client.get("/userscript/?script=device_counts&site=fra1", **token).json()["devices"] == {"active": 1}


def test_the_job_examples_run_as_their_pages_show(userscripts, db, admin_client):
    userscripts.load_files(DOCS / "examples" / "take_offline.py", DOCS / "examples" / "rename_site.py")
    make_site("AMS1", devices=3)
    call_command("runjob", "--commit", "--data", '{"site": {"slug": "ams1"}}', "local/take_offline/TakeOffline",
                 stdout=io.StringIO())
    assert set(Device.objects.values_list("status", flat=True)) == {"offline"}
    answer = admin_client.post("/api/extras/jobs/local/rename_site/RenameSite/run/",
                               {"data": {"site": {"slug": "ams1"}, "new_name": "AMS1-new"}, "commit": True},
                               content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert Site.objects.get(slug="ams1").name == "AMS1-new"


def test_the_readmes_links_name_pages_that_exist():
    """README.md is read on GitHub and as the wheel's description: its links point into docs/."""
    readme = (PROJECT / "README.md").read_text()
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if "://" not in link]
    assert len(local) >= 15 and any(link == "docs/netbox.md" for link in local), local
    assert [link for link in local if not (PROJECT / link).is_file()] == []


@pytest.mark.django_db(transaction=True)
def test_the_change_freeze_refuses_only_a_merge_while_the_tag_exists(userscripts):
    userscripts.load_files(DOCS / "examples" / "change_freeze.py")
    Tag.objects.create(name="change-freeze", slug="change-freeze")
    Site.objects.create(name="edited-on-main", slug="edited-on-main")  # no origin: an ordinary edit goes ahead
    merging = SimpleNamespace(kind="merge", branch=SimpleNamespace(name="maint-42"))
    host_branching.origin = lambda: merging
    try:
        with pytest.raises(AbortEvent, match="change freeze: maint-42 is not merged"):
            Site.objects.create(name="merged", slug="merged")
        Tag.objects.all().delete()
        Site.objects.create(name="merged", slug="merged")  # the freeze is over
    finally:
        host_branching.origin = None


def test_the_prometheus_files_of_the_metrics_page_parse_and_name_its_metrics():
    """docs/metrics.md's scrape configuration and alert rules are valid YAML of Prometheus's shape, and the alerts
    read the metrics the page lists (a histogram's ``_bucket`` series, a counter's ``_total``)."""
    import yaml

    folder = DOCS / "examples" / "prometheus"
    scrape = yaml.safe_load((folder / "prometheus.yml").read_text())
    assert {job["job_name"] for job in scrape["scrape_configs"]} == {"userscripts", "netbox"}
    assert all(job["metrics_path"] == "/metrics" and job["static_configs"][0]["targets"]
               for job in scrape["scrape_configs"])
    rules = yaml.safe_load((folder / "alerts.yml").read_text())["groups"][0]["rules"]
    assert [rule["alert"] for rule in rules] == ["UserscriptReceiverSlow", "UserscriptReceiverFailing"]
    documented = set(re.findall(r"^\| `(userscripts_\w+)` \|", (DOCS / "metrics.md").read_text(), re.MULTILINE))
    for rule in rules:
        assert {"expr", "for", "labels", "annotations"} <= set(rule)
        used = {re.sub(r"_bucket$", "", name) for name in re.findall(r"userscripts_\w+", rule["expr"])}
        assert used and used <= documented, f"{rule['alert']} reads {used - documented}, not on the metrics page"
    assert "> 1\n" in rules[0]["expr"] and "> 0.01\n" in rules[1]["expr"]
