"""NetBox Script classes in the userscripts folder, run now from the page, the API and ``runjob``, as ``core.Job``;
scheduled and recurring runs on ``rqworker``; every shipped userscript (``userscripts/``) loads and runs here."""
import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from conftest import TEMPLATE, admin_sql, csrf, running_rqworker, wait_for
from django.utils import timezone

SHIPPED = {path.name: path.read_text() for path in sorted((Path(__file__).parents[2] / "userscripts").glob("*.py"))}

USERSCRIPTS = {
    "sitejobs.py": '''
        from dcim.models import Site
        from extras.scripts import IntegerVar, Script, StringVar


        class MakeSite(Script):
            class Meta:
                name = "Make a site"
                description = "Creates one site"

            site_name = StringVar(min_length=3)
            copies = IntegerVar(required=False, min_value=1, max_value=3)

            def run(self, data, commit):
                site = Site.objects.create(name=data["site_name"], slug=data["site_name"])
                self.log_success(f"made {site.name}", site)
                return f"done {site.name}"


        class Fails(Script):
            def run(self, data, commit):
                Site.objects.create(name="half-way", slug="half-way")
                raise ValueError("broken on purpose")
    ''',
    **SHIPPED,
}


def site_exists(name):
    from dcim.models import Site

    return Site.objects.filter(name=name).exists()


def job(pk):
    from core.models import Job

    return Job.objects.get(pk=pk)


def run_api(nb, name, data, commit):
    return nb.api("POST", f"/api/plugins/userscripts/scripts/{name}/run/", json={"data": data, "commit": commit})


def test_the_scripts_are_listed(nb):
    listed = nb.api("GET", "/api/plugins/userscripts/scripts/").json()
    names = [s["name"] for s in listed["results"]]
    assert names.index("sitejobs.MakeSite") + 1 == names.index("sitejobs.Fails")
    assert {"new_branch.NewBranch", "device_report.DeviceConnectionsReport"} <= set(names)
    by_name = {s["name"]: s for s in listed["results"]}
    assert by_name["sitejobs.MakeSite"]["display"] == "Make a site"
    assert by_name["device_report.DeviceConnectionsReport"]["display"] == "Device connections"


def test_an_api_run_without_commit_is_rolled_back_and_recorded_as_a_core_job(nb):
    answer = run_api(nb, "sitejobs.MakeSite", {"site_name": "dry-run"}, False)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "completed"
    recorded = job(body["id"])
    assert recorded.name == "sitejobs.MakeSite" and recorded.user.username == "admin"
    assert recorded.data["output"] == "done dry-run"
    assert [e["message"] for e in recorded.data["log"]][:1] == ["made dry-run"]
    assert "Database changes have been reverted automatically." in [e["message"] for e in recorded.data["log"]]
    assert not site_exists("dry-run")


def test_an_api_run_with_commit_keeps_its_writes(nb):
    body = run_api(nb, "sitejobs.MakeSite", {"site_name": "committed"}, True).json()
    assert body["status"] == "completed"
    assert site_exists("committed")


def test_a_failing_script_is_rolled_back_and_errored(nb):
    body = run_api(nb, "sitejobs.Fails", {}, True).json()
    assert body["status"] == "errored"
    assert any("broken on purpose" in e["message"] for e in job(body["id"]).data["log"])
    assert not site_exists("half-way")


def test_bad_input_is_a_400_naming_the_field_and_nothing_runs(nb):
    from core.models import Job

    before = Job.objects.count()
    answer = run_api(nb, "sitejobs.MakeSite", {"site_name": "x", "copies": 9}, True)
    assert answer.status_code == 400
    assert set(answer.json()) == {"site_name", "copies"}
    assert Job.objects.count() == before
    assert run_api(nb, "sitejobs.Nope", {}, True).status_code == 404
    assert run_api(nb, "sitejobs.MakeSite", [], True).status_code == 400


def test_running_needs_the_permission_and_a_write_token(nb):
    from conftest import make_token
    from users.models import Token, User

    user = User.objects.create_user("reader", "reader@example.com", "reader-password")
    reader = make_token(user, 1)
    answer = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.MakeSite/run/", token=None,
                    headers={"Authorization": reader}, json={"data": {"site_name": "not-run"}, "commit": True})
    assert answer.status_code == 403
    read_only = Token(user=nb.admin, version=1, write_enabled=False)
    read_only.save()
    answer = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.MakeSite/run/", token=None,
                    headers={"Authorization": f"Token {read_only.token}"},
                    json={"data": {"site_name": "not-run"}, "commit": True})
    assert answer.status_code == 403
    assert not site_exists("not-run")
    page = requests.get(f"{nb.url}/plugins/userscripts/scripts/sitejobs.MakeSite/", timeout=30, allow_redirects=False)
    assert page.status_code == 302 and "/login/" in page.headers["Location"]


def test_the_page_runs_a_script_and_shows_its_job(nb):
    session = nb.session()
    url = f"{nb.url}/plugins/userscripts/scripts/sitejobs.MakeSite/"
    form = session.get(url)
    assert form.status_code == 200 and 'name="site_name"' in form.text and "Creates one site" in form.text
    answer = session.post(url, data={"site_name": "from-page", "_commit": "on", "csrfmiddlewaretoken": csrf(form.text)},
                          headers={"Referer": url}, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/plugins/userscripts/results/")
    assert site_exists("from-page")
    assert session.get(f"{nb.url}{answer.headers['Location']}").status_code == 200


def test_a_runs_result_is_shown_as_netboxs_own_scripts_are(nb):
    """Issue 30.4: the log as NetBox's table (level in its colours, the object linked), the output as a block,
    on the plugin's result page and on the job's page; the messages in the job's Log tab too."""
    from dcim.models import Site

    body = run_api(nb, "sitejobs.MakeSite", {"site_name": "shown-run"}, True).json()
    site = Site.objects.get(name="shown-run")
    session = nb.session()
    for path in (f"/plugins/userscripts/results/{body['id']}/", f"/core/jobs/{body['id']}/"):
        page = session.get(f"{nb.url}{path}")
        assert page.status_code == 200, path
        assert 'id="result-log"' in page.text and "made shown-run" in page.text
        assert "text-bg-green" in page.text  # NetBox's colour of "success" (its log_level tag)
        assert f"href='{site.get_absolute_url()}'" in page.text  # the logged object, linked
        assert 'id="userscript_output">done shown-run</pre>' in page.text
    result = session.get(f"{nb.url}/plugins/userscripts/results/{body['id']}/").text
    assert 'class="breadcrumb-item"' in result and "sitejobs.py" in result
    assert f'href="/core/jobs/{body["id"]}/"' in result
    warnings_only = session.get(f"{nb.url}/plugins/userscripts/results/{body['id']}/?log_threshold=warning")
    assert warnings_only.status_code == 200 and "made shown-run" not in warnings_only.text
    entries = job(body["id"]).log_entries
    assert ("info", "shown-run: made shown-run") in [(e["level"], e["message"]) for e in entries]
    assert [e["timestamp"] for e in entries] == sorted(e["timestamp"] for e in entries)
    assert "shown-run: made shown-run" in session.get(f"{nb.url}/core/jobs/{body['id']}/log/").text


def test_a_failed_runs_failure_is_in_its_log_tab_and_result(nb):
    body = run_api(nb, "sitejobs.Fails", {}, True).json()
    entries = [(e["level"], e["message"]) for e in job(body["id"]).log_entries]
    assert any(level == "error" and "broken on purpose" in message for level, message in entries)
    page = nb.session().get(f"{nb.url}/plugins/userscripts/results/{body['id']}/")
    assert page.status_code == 200 and "Errored" in page.text and "broken on purpose" in page.text


def test_a_result_page_is_for_userscript_runs_and_their_viewers(nb):
    from core.models import Job
    from users.models import ObjectPermission, User

    session = nb.session()
    assert session.get(f"{nb.url}/plugins/userscripts/results/999999/").status_code == 404
    other = Job.objects.exclude(object_type=None).first()
    if other is not None:  # a job of NetBox's own (a system job): not a userscript's run
        assert session.get(f"{nb.url}/plugins/userscripts/results/{other.pk}/").status_code == 404
    body = run_api(nb, "sitejobs.MakeSite", {"site_name": "not-theirs"}, True).json()
    viewer = User.objects.create_user("result-viewer", password="viewer-password")
    permission = ObjectPermission.objects.create(name="view userscripts (results)", actions=["view"])
    permission.object_types.set([_userscript_type()])
    permission.users.add(viewer)
    # may view the modules but neither started this run nor may view NetBox's jobs
    answer = nb.session("result-viewer", "viewer-password").get(f"{nb.url}/plugins/userscripts/results/{body['id']}/")
    assert answer.status_code == 403


def _userscript_type():
    from core.models import ObjectType

    from netbox_userscripts.models import Userscript

    return ObjectType.objects.get_for_model(Userscript)


def test_runjob_runs_a_script_as_a_core_job(nb):
    from core.models import Job

    done = nb.manage("runjob", "sitejobs.MakeSite", "--commit", "--data", json.dumps({"site_name": "from-cli"}))
    assert done.returncode == 0, done.stderr
    assert "made from-cli" in done.stdout and "done from-cli" in done.stdout
    assert site_exists("from-cli")
    assert Job.objects.filter(name="sitejobs.MakeSite", status="completed").count() >= 2
    bad = nb.manage("runjob", "sitejobs.MakeSite", "--data", json.dumps({"site_name": "x"}))
    assert bad.returncode == 2 and "site_name" in bad.stderr
    failed = nb.manage("runjob", "sitejobs.Fails", "--commit")
    assert failed.returncode == 1


# Every shipped userscript, inside NetBox ------------------------------------------------------------------------


def catalog():
    """New Branch's switch model: a Cisco C9200-48P (and a second Cisco model, for ambiguous lookups)."""
    from dcim.models import DeviceType, Manufacturer

    cisco, _ = Manufacturer.objects.get_or_create(name="Cisco", slug="cisco")
    DeviceType.objects.get_or_create(manufacturer=cisco, model="C9200-48P", slug="c9200-48p")
    DeviceType.objects.get_or_create(manufacturer=cisco, model="C9300-24T", slug="c9300-24t")
    return cisco


def test_every_shipped_userscript_loads(nb):
    modules = {m["name"]: m for m in nb.api("GET", "/api/plugins/userscripts/").json()["results"]}
    shipped = {name.removesuffix(".py") for name in SHIPPED}
    assert shipped <= set(modules)
    assert {name: (modules[name]["state"], modules[name]["error"] or None) for name in shipped} == {
        name: ("loaded", None) for name in shipped}
    assert not [line for line in nb.log().splitlines() if "ERROR" in line and any(n in line for n in shipped)]


def test_the_modules_jobs_and_the_scripts_list_agree(nb):
    modules = nb.api("GET", "/api/plugins/userscripts/").json()["results"]
    scripts = nb.api("GET", "/api/plugins/userscripts/scripts/").json()["results"]
    assert sorted(f"{m['name']}.{job}" for m in modules for job in m["jobs"]) == sorted(s["name"] for s in scripts)
    jobs = {m["name"]: m["jobs"] for m in modules}
    assert jobs["new_branch"] == ["NewBranch"] and jobs["device_report"] == ["DeviceConnectionsReport"]
    assert jobs["change_log"] == []


def test_new_branch_runs_with_objects_given_by_lookups(nb):
    from dcim.models import Site

    catalog()
    answer = run_api(nb, "new_branch.NewBranch", {"site_name": "Branch 42", "switch_count": 2,
                                                  "manufacturer": {"slug": "cisco"},
                                                  "switch_model": {"model": "C9200-48P"}}, True)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "completed", body
    assert body["data"]["output"] == ("name,make,model\nbranch-42-switch1,Cisco,C9200-48P\n"
                                      "branch-42-switch2,Cisco,C9200-48P")
    site = Site.objects.get(name="Branch 42")
    assert site.status == "planned" and {d.role.name for d in site.devices.all()} == {"Access Switch"}


def test_an_object_lookup_matching_none_or_several_is_a_400_naming_the_field(nb):
    cisco = catalog()
    for lookups in ({"model": "no-such-model"}, {"manufacturer": cisco.pk}, {"colour": "red"}):
        answer = run_api(nb, "new_branch.NewBranch", {"site_name": "Nowhere", "switch_count": 1,
                                                      "switch_model": lookups}, True)
        assert answer.status_code == 400, answer.text
        assert list(answer.json()) == ["switch_model"], answer.text
    assert not site_exists("Nowhere")


def test_the_nautobot_style_device_report_runs_as_a_script(nb):
    from dcim.models import ConsolePort, Device, DeviceRole, DeviceType, Site

    catalog()
    device = Device.objects.create(name="edge-1", site=Site.objects.create(name="Report site", slug="report-site"),
                                   device_type=DeviceType.objects.get(model="C9200-48P"), status="active",
                                   role=DeviceRole.objects.create(name="Edge", slug="edge"))
    ConsolePort.objects.create(device=device, name="con0")
    answer = run_api(nb, "device_report.DeviceConnectionsReport", {}, True)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "completed", body
    tests = body["data"]["tests"]
    assert tests["test_console_connection"]["failure"] >= 1 and tests["test_power_connections"]["failure"] >= 1
    messages = [entry[4] for entry in tests["test_console_connection"]["log"]]
    assert "No console connection defined for con0" in messages
    assert any(e[2] == "edge-1" and e[3] == device.get_absolute_url() for e in tests["test_console_connection"]["log"])
    assert "No console connection defined for con0" in nb.log()  # the central log too
    form = nb.session().get(f"{nb.url}/plugins/userscripts/scripts/device_report.DeviceConnectionsReport/")
    assert form.status_code == 200 and "Validate the minimum physical connections" in form.text


def test_the_shipped_scripts_run_from_the_cli(nb):
    catalog()
    made = nb.manage("runjob", "new_branch.NewBranch", "--commit", "--data",
                     json.dumps({"site_name": "Branch 7", "switch_count": 1, "switch_model": {"model": "C9200-48P"}}))
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Created new switch: branch-7-switch1" in made.stdout and site_exists("Branch 7")
    report = nb.manage("runjob", "device_report.DeviceConnectionsReport")
    assert report.returncode == 0, report.stdout + report.stderr
    assert "completed" in report.stdout and "test_console_connection: edge-1: No console connection" in report.stdout


# Schedule at, Recurs every ----------------------------------------------------------------------------------------


def test_a_run_scheduled_an_hour_ahead_waits_as_a_scheduled_core_job(nb):
    at = timezone.now() + timedelta(hours=1)
    answer = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.MakeSite/run/",
                    json={"data": {"site_name": "later"}, "commit": True, "schedule_at": at.isoformat()})
    assert answer.status_code == 200, answer.text
    recorded = job(answer.json()["id"])
    assert answer.json()["status"] == recorded.status == "scheduled"
    assert abs(recorded.scheduled - at) < timedelta(seconds=1) and recorded.interval is None
    assert recorded.started is None and not site_exists("later")


def test_bad_schedule_values_are_a_400_naming_the_field_and_queue_nothing(nb):
    from core.models import Job

    before = Job.objects.count()
    past = (timezone.now() - timedelta(minutes=5)).isoformat()
    for options, field in (({"schedule_at": past}, "schedule_at"), ({"schedule_at": "soon"}, "schedule_at"),
                           ({"interval": 0}, "interval"), ({"interval": 2147483648}, "interval"),
                           ({"interval": "often"}, "interval")):
        answer = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.MakeSite/run/",
                        json={"data": {"site_name": "never"}, "commit": True, **options})
        assert answer.status_code == 400, (options, answer.text)
        assert list(answer.json()) == [field], (options, answer.text)
    assert Job.objects.count() == before


def test_an_interval_run_is_run_by_rqworker_which_queues_the_next(nb):
    from core.models import Job

    answer = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.MakeSite/run/",
                    json={"data": {"site_name": "every-minute"}, "commit": True, "interval": 1})
    assert answer.status_code == 200, answer.text
    first = job(answer.json()["id"])
    assert first.status == "scheduled" and first.interval == 1
    following = Job.objects.filter(name="sitejobs.MakeSite", interval=1, status="scheduled").exclude(pk=first.pk)
    log = open(Path(nb.env["NBTEST_SERVER_LOG"]).with_name("rqworker-interval.log"), "ab")
    with running_rqworker(nb, log):
        assert wait_for(lambda: job(first.pk).status == "completed", timeout=120), job(first.pk).status
        assert wait_for(following.exists, timeout=30)
    log.close()
    assert site_exists("every-minute")
    assert following.get().scheduled >= job(first.pk).started + timedelta(seconds=59)


def test_the_form_schedules_a_recurring_run(nb):
    session = nb.session()
    url = f"{nb.url}/plugins/userscripts/scripts/sitejobs.MakeSite/"
    form = session.get(url)
    assert 'name="_schedule_at"' in form.text and 'name="_interval"' in form.text
    at = timezone.localtime(timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    answer = session.post(url, data={"site_name": "form-later", "_commit": "on", "_interval": "60",
                                     "_schedule_at": at.strftime("%Y-%m-%d %H:%M:%S"),
                                     "csrfmiddlewaretoken": csrf(form.text)},
                          headers={"Referer": url}, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/plugins/userscripts/results/"), \
        answer.text[-2000:]
    assert session.get(f"{nb.url}{answer.headers['Location']}").status_code == 200  # a result still to come
    recorded = job(int(answer.headers["Location"].rstrip("/").rpartition("/")[2]))
    assert (recorded.status, recorded.scheduled, recorded.interval) == ("scheduled", at, 60)
    assert not site_exists("form-later")
    past = timezone.localtime(timezone.now() - timedelta(hours=2))
    refused = session.post(url, data={"site_name": "form-past", "_schedule_at": past.strftime("%Y-%m-%d %H:%M:%S"),
                                      "csrfmiddlewaretoken": csrf(form.text)}, headers={"Referer": url},
                           allow_redirects=False)
    assert refused.status_code == 200 and "Scheduled time must be in the future." in refused.text


# The test kit (netbox_userscripts.testing) inside NetBox: an author's folder and its tests, run by pytest with
# NetBox's settings in NetBox's Python; pytest-django's test database is a clone of the migrated template.
KIT_USERSCRIPT = """
from django.dispatch import receiver
from django.http import JsonResponse

from dcim.models import Site
from netbox_userscripts import AbortEvent
from netbox_userscripts.jobs import Job
from netbox_userscripts.signals import post_commit, pre_save
from netbox_userscripts.tasks import task


@receiver(pre_save, sender=Site)
def lower_case_slugs(sender, instance, **kwargs):
    if instance.slug != instance.slug.lower():
        raise AbortEvent(f"Site slug {instance.slug!r} must be lower case.")


@receiver(post_commit, sender=Site)
def committed(sender, changes, **kwargs):
    for change in changes:
        logger.info("%s of site %s committed", change.action, change.after["name"])


class CountSites(Job):
    def run(self, data, commit):
        self.log_info(f"{Site.objects.count()} sites")


@task
def describe(site_id):
    site = Site.objects.get(pk=site_id)
    site.description = "described by a task"
    site.save()
    return site.name


def call(name="world", **kwargs):
    return JsonResponse({"hello": name})
"""

KIT_TESTS = """
from pathlib import Path

import pytest

from dcim.models import Site
from netbox_userscripts import AbortEvent

FOLDER = Path(__file__).resolve().parent.parent / "userscripts"


def test_an_upper_case_slug_is_vetoed(userscripts):
    userscripts.load(FOLDER)
    with pytest.raises(AbortEvent, match="must be lower case"):
        Site.objects.create(name="AMS1", slug="AMS1")


def test_a_committed_site_is_logged(userscripts, commit_hooks, userscript_log):
    userscripts.load(FOLDER / "site_rules.py")
    with commit_hooks() as sent:
        Site.objects.create(name="AMS1", slug="ams1")
    assert sent.changes(Site)[0].after["slug"] == "ams1"
    assert userscript_log("site_rules").infos == ["create of site AMS1 committed"]


def test_the_job_runs(userscripts, run_job, admin_user):
    userscripts.load(FOLDER)
    result = run_job("site_rules.CountSites", user=admin_user)
    assert result.status == "completed", result.traceback
    assert [entry["message"] for entry in result.log] == ["0 sites"]


def test_a_task_runs_as_a_netbox_job_in_the_test(userscripts, run_tasks):
    userscripts.load(FOLDER)
    from userscripts.site_rules import describe

    site = Site.objects.create(name="AMS2", slug="ams2")
    describe.enqueue(site.pk)
    jobs = run_tasks()
    assert [job.status for job in jobs] == ["completed"], [job.error for job in jobs]
    assert Site.objects.get(pk=site.pk).description == "described by a task"
    assert run_tasks() == []


def test_a_call_needs_the_permission(userscripts, call_userscript, admin_user, django_user_model):
    userscripts.load(FOLDER)
    answer = call_userscript("site_rules", user=admin_user, name="noc")
    assert (answer.status, answer.json) == (200, {"hello": "noc"})
    assert call_userscript("site_rules", user=django_user_model.objects.create_user("nobody")).status == 403
"""


def run_kit(nb, root, userscript):
    (root / "userscripts").mkdir(exist_ok=True)
    (root / "userscripts" / "site_rules.py").write_text(textwrap.dedent(userscript))
    (root / "tests").mkdir(exist_ok=True)
    (root / "tests" / "conftest.py").write_text('pytest_plugins = ["netbox_userscripts.testing"]\n')
    (root / "tests" / "test_site_rules.py").write_text(KIT_TESTS)
    env = {**nb.env, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), nb.env.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--ds", "netbox.settings",
                           "-c", os.devnull, "--rootdir", str(root), "--reuse-db", "-q", "tests"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600)


def test_an_authors_tests_run_with_the_kit_in_netbox(nb, tmp_path):
    pytest.importorskip("pytest_django", reason="the test kit needs pytest-django in NetBox's virtualenv")
    database = f"test_{nb.env['NBTEST_DB']}"  # pytest-django's name, made here from the migrated template
    admin_sql(f"DROP DATABASE IF EXISTS {database}")
    admin_sql(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    try:
        done = run_kit(nb, tmp_path, KIT_USERSCRIPT)
        assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-3000:]
        assert "5 passed" in done.stdout
        broken = run_kit(nb, tmp_path, KIT_USERSCRIPT.replace("instance.slug != instance.slug.lower()", "False"))
        assert broken.returncode == 1, broken.stdout[-5000:] + broken.stderr[-3000:]
        assert "1 failed, 4 passed" in broken.stdout
        assert "FAILED tests/test_site_rules.py::test_an_upper_case_slug_is_vetoed" in broken.stdout
        assert "DID NOT RAISE" in broken.stdout
    finally:
        admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
