"""NetBox Script classes in the userscripts folder, run now from the page, the API and ``runjob``, as ``core.Job``."""
import json

import requests
from conftest import csrf

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
    assert [s["name"] for s in listed["results"]] == ["sitejobs.MakeSite", "sitejobs.Fails"]
    assert listed["results"][0]["display"] == "Make a site"


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
