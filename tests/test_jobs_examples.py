"""The shipped example jobs, as a user runs them: New Branch (API, form, CLI) and the device report."""
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts.models import JobResult

dcim = pytest.importorskip("dcim.models")

SHIPPED = Path(__file__).resolve().parent.parent / "userscripts"
NEW_BRANCH = "/api/extras/jobs/local/new_branch/NewBranch/run/"


@pytest.fixture
def examples(userscripts, db):
    for name in ("new_branch.py", "device_report.py"):
        userscripts.write(name, (SHIPPED / name).read_text())
    userscripts.load()
    for name in ("new_branch", "device_report"):
        assert registry.get(name).loaded, registry.get(name).traceback


@pytest.fixture
def catalog(db):
    cisco = dcim.Manufacturer.objects.create(name="Cisco", slug="cisco")
    juniper = dcim.Manufacturer.objects.create(name="Juniper", slug="juniper")
    return {
        "cisco": cisco, "juniper": juniper,
        "c9200": dcim.DeviceType.objects.create(manufacturer=cisco, model="C9200-48P", slug="c9200-48p"),
        "ex2300": dcim.DeviceType.objects.create(manufacturer=juniper, model="EX2300-48P", slug="ex2300-48p"),
    }


def counts():
    return dcim.Site.objects.count(), dcim.Device.objects.count()


def test_new_branch_over_the_api(admin_client, examples, catalog):
    body = {"data": {"site_name": "Branch 42", "switch_count": 2, "manufacturer": catalog["cisco"].pk,
                     "switch_model": {"model": "C9200-48P"}}, "commit": True}
    response = admin_client.post(NEW_BRANCH, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["status"]["value"] == "completed"
    assert result["output"] == ("name,make,model\nbranch-42-switch1,Cisco,C9200-48P\n"
                                "branch-42-switch2,Cisco,C9200-48P")
    assert [e["message"] for e in result["log"]] == [
        "Created new site: Branch 42", "Created new switch: branch-42-switch1", "Created new switch: branch-42-switch2"]
    site = dcim.Site.objects.get(name="Branch 42")
    assert site.status == "planned" and result["log"][0]["url"] == f"/admin/dcim/site/{site.pk}/change/"
    assert {d.role.name for d in site.devices.all()} == {"Access Switch"}
    job = admin_client.get("/api/extras/jobs/local/new_branch/NewBranch/").json()
    assert [v["name"] for v in job["vars"]] == ["site_name", "switch_count", "switch_model", "manufacturer"]
    assert job["module_name"] == "Branch provisioning" and job["name"] == "New Branch"


def test_new_branch_model_must_match_the_manufacturer(admin_client, examples, catalog):
    before = counts()
    body = {"data": {"site_name": "B", "switch_count": 1, "manufacturer": catalog["cisco"].pk,
                     "switch_model": catalog["ex2300"].pk}}
    response = admin_client.post(NEW_BRANCH, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "does not match" in response.json()["data"]["switch_model"][0]
    assert counts() == before and not JobResult.objects.exists()
    choices = admin_client.get(f"/jobs/local/new_branch/NewBranch/choices/switch_model/"
                               f"?manufacturer={catalog['juniper'].pk}").json()
    assert choices == {"results": [{"value": catalog["ex2300"].pk, "label": "EX2300-48P"}]}


def test_new_branch_existing_site_aborts_and_rolls_back(admin_client, examples, catalog):
    dcim.Site.objects.create(name="Taken", slug="taken")
    before = counts()
    body = {"data": {"site_name": "Taken", "switch_count": 1, "switch_model": catalog["c9200"].pk}, "commit": True}
    result = admin_client.post(NEW_BRANCH, json.dumps(body), content_type="application/json").json()
    assert result["status"]["value"] == "failed" and result["traceback"] == ""
    assert "already exists" in result["log"][0]["message"]
    assert counts() == before


def test_new_branch_from_the_form(admin_client, examples, catalog):
    page = admin_client.get("/jobs/local/new_branch/NewBranch/").content.decode()
    assert 'data-depends-on="manufacturer"' in page and "EX2300-48P" in page
    response = admin_client.post("/jobs/local/new_branch/NewBranch/", {
        "site_name": "Form Branch", "switch_count": "3", "manufacturer": catalog["cisco"].pk,
        "switch_model": catalog["c9200"].pk, "_commit": "on"})
    assert response.status_code == 302
    html = admin_client.get(response["Location"]).content.decode()
    assert "Completed" in html and "form-branch-switch3,Cisco,C9200-48P" in html
    assert dcim.Device.objects.filter(site__name="Form Branch").count() == 3


def test_new_branch_from_the_cli_dry_run_then_commit(examples, catalog):
    data = json.dumps({"site_name": "CLI Branch", "switch_count": 2, "switch_model": {"slug": "c9200-48p"}})
    out = io.StringIO()
    call_command("runscript", "--data", data, "new_branch.NewBranch", stdout=out, no_color=True)
    assert "Created new switch: cli-branch-switch2" in out.getvalue() and counts() == (0, 0)
    out = io.StringIO()
    call_command("runjob", "--commit", "--data", data, "local/new_branch/NewBranch", stdout=out, no_color=True)
    assert "cli-branch-switch1,Cisco,C9200-48P" in out.getvalue() and counts() == (1, 2)
    with pytest.raises(CommandError) as excinfo:
        call_command("runjob", "--data", json.dumps({"site_name": "x", "switch_count": 99}),
                     "local/new_branch/NewBranch", stdout=io.StringIO())
    assert excinfo.value.returncode == 2 and "switch_count" in str(excinfo.value)


def cable(a, b, status="connected"):
    return dcim.Cable.objects.create(a_terminations=[a], b_terminations=[b], status=status)


def test_device_report_logs_a_failure_per_offending_device(admin_client, examples, catalog):
    site = dcim.Site.objects.create(name="DC", slug="dc")
    role = dcim.DeviceRole.objects.create(name="Core", slug="core")

    def device(name, status="active"):
        return dcim.Device.objects.create(name=name, device_type=catalog["c9200"], role=role, site=site, status=status)

    good, bad, planned = device("good"), device("bad"), device("planned-cables")
    device("offline", status="offline").consoleports.create(name="con0")  # not active: not checked
    infra = device("pdu-and-console")
    outlets = [infra.poweroutlets.create(name=f"out{i}") for i in range(6)]
    console_ports = [infra.consoleserverports.create(name=f"cs{i}") for i in range(3)]
    cable(good.consoleports.create(name="con0"), console_ports[0])
    cable(good.powerports.create(name="psu1"), outlets[0])
    cable(good.powerports.create(name="psu2"), outlets[1])
    bad.consoleports.create(name="con0")
    cable(bad.powerports.create(name="psu1"), outlets[2])
    bad.powerports.create(name="psu2")
    cable(planned.consoleports.create(name="con0"), console_ports[1], status="planned")
    cable(planned.powerports.create(name="psu1"), outlets[3])
    cable(planned.powerports.create(name="psu2"), outlets[4], status="planned")

    before = counts()
    response = admin_client.post("/api/extras/jobs/local/device_report/DeviceConnectionsReport/run/",
                                 json.dumps({"commit": True}), content_type="application/json")
    result = response.json()
    assert response.status_code == 201 and result["status"]["value"] == "failed" and result["commit"] is False
    failures = [(e["grouping"], e["object"], e["message"]) for e in result["log"] if e["level"] == "failure"]
    assert failures == [
        ("test_console_connection", "bad", "No console connection defined for con0"),
        ("test_power_connections", "bad", "1 connected power supplies found (2 needed)"),
        ("test_power_connections", "pdu-and-console", "0 connected power supplies found (2 needed)"),
    ]
    warnings = [(e["object"], e["message"]) for e in result["log"] if e["level"] == "warning"]
    assert warnings == [("planned-cables", "Console connection for con0 marked as planned"),
                        ("planned-cables", "Power connection for psu2 marked as planned")]
    assert counts() == before
    job = admin_client.get("/api/extras/jobs/local/device_report/DeviceConnectionsReport/").json()
    assert job["read_only"] and job["description"] == "Validate the minimum physical connections for each device"
    assert job["test_methods"] == ["test_console_connection", "test_power_connections"]
