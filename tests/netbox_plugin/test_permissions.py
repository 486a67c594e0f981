"""The plugin's permissions in NetBox's own object-permission form and API: `call` and `run` once, each meaning it."""
import re

import pytest
import requests
from conftest import csrf, make_token, wait_for

USERSCRIPTS = {
    "gated.py": '''
        from extras.scripts import Script


        def call(**kwargs):
            return "called"


        class Noop(Script):
            def run(self, data, commit):
                return "ran"
    ''',
    **{f"{name}.py": f'''
        from dcim.models import Manufacturer
        from extras.scripts import ObjectVar, Script
        from netbox_userscripts.tasks import task


        @task
        def work():
            return "{name}"


        def call(**kwargs):
            logger.warning("{name} was called")
            return "{name}"


        class Pick(Script):
            maker = ObjectVar(model=Manufacturer)

            def run(self, data, commit):
                return data["maker"].name
    ''' for name in ("a", "b")},
}


def user_with_token(name):
    from users.models import User

    user = User.objects.create_user(name, f"{name}@example.com", f"{name}-password")
    return user, make_token(user, 1)


def can_call(nb, token):
    answer = requests.get(f"{nb.url}/userscript/?script=gated", headers={"Authorization": token}, timeout=30)
    assert answer.status_code in (200, 403), answer.text
    return answer.status_code == 200


def can_run(nb, token):
    answer = requests.post(f"{nb.url}/api/plugins/userscripts/scripts/gated.Noop/run/", timeout=60,
                           headers={"Authorization": token, "Accept": "application/json"},
                           json={"data": {}, "commit": False})
    assert answer.status_code in (200, 403), answer.text
    return answer.status_code == 200


@pytest.fixture(scope="module")
def form_page(nb):
    session = nb.session()
    return session, session.get(f"{nb.url}/users/permissions/add/")


def test_the_form_shows_call_run_and_sync_once_as_actions(form_page):
    page = form_page[1]
    assert page.status_code == 200
    checkboxes = re.findall(r'<input type="checkbox" name="action_([a-z_]+)"', page.text)
    for action in ("call", "run", "sync"):
        assert checkboxes.count(action) == 1, checkboxes
    # The project's Django permission names are no actions here: ticking them would grant nothing.
    assert not {"call_userscript", "run_job", "sync_userscripts"} & set(checkboxes), checkboxes


def test_a_user_given_only_call_in_the_form_calls_and_does_not_run(nb, form_page):
    from core.models import ObjectType
    from users.models import ObjectPermission

    from netbox_userscripts.models import Userscript

    session, page = form_page
    user, token = user_with_token("only-call")
    assert not can_call(nb, token) and not can_run(nb, token)
    url = f"{nb.url}/users/permissions/add/"
    # The object types come from the widget's "Selected" list (object_types_1), as the browser sends them.
    answer = session.post(url, headers={"Referer": url}, allow_redirects=False, data={
        "csrfmiddlewaretoken": csrf(page.text), "name": "call userscripts", "enabled": "on",
        "object_types_1": [ObjectType.objects.get_for_model(Userscript).pk], "action_call": "on", "users": [user.pk]})
    assert answer.status_code == 302, re.findall(r'text-danger[^>]*>\s*([^<]*)', answer.text)
    assert ObjectPermission.objects.get(name="call userscripts").actions == ["call"]
    assert can_call(nb, token)
    assert not can_run(nb, token)


def test_a_user_given_only_run_through_the_api_runs_and_does_not_call(nb):
    user, token = user_with_token("only-run")
    made = nb.api("POST", "/api/users/permissions/", json={
        "name": "run userscripts", "object_types": ["netbox_userscripts.userscript"], "actions": ["run"],
        "users": [user.pk]})
    assert made.status_code == 201, made.text
    assert can_run(nb, token)
    assert not can_call(nb, token)


def test_sync_is_granted_by_the_sync_action(nb):
    user, token = user_with_token("syncer")
    headers = {"Authorization": token, "Accept": "application/json"}
    assert requests.post(f"{nb.url}/api/plugins/userscripts/sync/", headers=headers, timeout=30).status_code == 403
    nb.api("POST", "/api/users/permissions/", json={
        "name": "sync userscripts", "object_types": ["netbox_userscripts.userscript"], "actions": ["sync"],
        "users": [user.pk]}).raise_for_status()
    answer = requests.post(f"{nb.url}/api/plugins/userscripts/sync/", headers=headers, timeout=30)
    # Allowed now: no USERSCRIPTS_GIT in this NetBox, so the sync itself answers 400 saying so.
    assert answer.status_code == 400 and "USERSCRIPTS_GIT" in answer.text, answer.text


def test_a_permission_constrained_to_modules_allows_those_only(nb):
    (nb.folder / "other.py").write_text("def call(**kwargs):\n    return 'other'\n")
    assert wait_for(lambda: nb.api("GET", "/userscript/?script=other").text == "other")
    user, token = user_with_token("constrained")
    nb.api("POST", "/api/users/permissions/", json={
        "name": "gated only", "object_types": ["netbox_userscripts.userscript"], "actions": ["call", "run"],
        "constraints": {"name__in": ["gated"]}, "users": [user.pk]}).raise_for_status()
    assert can_call(nb, token) and can_run(nb, token)
    refused = requests.get(f"{nb.url}/userscript/?script=other", headers={"Authorization": token}, timeout=30)
    assert refused.status_code == 403 and "for the userscript other" in refused.text


def test_a_view_permission_constrained_to_module_a_shows_only_a(nb):
    from netbox_userscripts.loading.registry import registry

    for name in ("a", "b"):
        assert nb.api("GET", f"/userscript/?script={name}").text == name
        registry.get(name).module.work.enqueue()  # a task run (a pending NetBox job) of each
    assert wait_for(lambda: {"a", "b"} <= {r["name"] for r in nb.api("GET", "/api/plugins/userscripts/modules/")
                                             .json()["results"]})  # the heartbeat wrote their rows
    user, token = user_with_token("sees-a")
    nb.api("POST", "/api/users/permissions/", json={
        "name": "view a", "object_types": ["netbox_userscripts.userscript"], "actions": ["view"],
        "constraints": {"name__in": ["a"]}, "users": [user.pk]}).raise_for_status()

    def get(path):
        answer = requests.get(f"{nb.url}/api/plugins/userscripts/{path}", timeout=30,
                              headers={"Authorization": token, "Accept": "application/json"})
        assert answer.status_code == 200, answer.text
        return answer.json()

    assert [m["name"] for m in get("")["results"]] == ["a"]
    assert [row["name"] for row in get("modules/")["results"]] == ["a"]
    assert [script["name"] for script in get("scripts/")["results"]] == ["a.Pick"]
    records = wait_for(lambda: [r for r in get("log/?n=500")["records"] if r["message"] == "a was called"])
    assert {r["script"] for r in get("log/?n=500")["records"]} == {"a"}
    assert get("log/?script=b")["records"] == [] and get("log/?script=a")["records"]
    followed = get("log/?n=0")
    assert nb.api("GET", "/userscript/?script=b").text == "b" and nb.api("GET", "/userscript/?script=a").text == "a"
    later = wait_for(lambda: get(f"log/?after={followed['offset']}&file={followed['file']}")["records"])
    assert {r["script"] for r in later} == {"a"} and records
    assert {run["script"] for run in get("tasks/")["results"]} == {"a"}
    assert get("tasks/?script=b")["results"] == []
    everything = nb.api("GET", "/api/plugins/userscripts/tasks/").json()["results"]  # the superuser's
    assert {run["script"] for run in everything} == {"a", "b"}
    page = nb.session("sees-a", "sees-a-password").get(f"{nb.url}/plugins/userscripts/")
    assert page.status_code == 200
    assert 'id="module-a"' in page.text and 'id="module-b"' not in page.text and 'id="module-gated"' not in page.text
    assert "a.Pick" in page.text and "b.Pick" not in page.text
    runs = page.text.split('id="task-runs"')[1].split("</table>")[0]  # issue 30.5: the page's task runs
    assert "<td>a." in runs and "<td>b." not in runs
    assert '<option value="b"' not in page.text  # the log's script filter offers the visible modules only
    asked = nb.session("sees-a", "sees-a-password").get(f"{nb.url}/plugins/userscripts/?script=b").text
    assert "no userscript &#x27;b&#x27; to show" in asked and 'const script = ""' in asked


def test_a_scripts_object_choices_are_restricted_by_netboxs_constraints(nb):
    from dcim.models import Manufacturer

    shown = Manufacturer.objects.create(name="Shown Vendor", slug="shown-vendor")
    secret = Manufacturer.objects.create(name="Secret Vendor", slug="secret-vendor")
    user, token = user_with_token("picker")
    nb.api("POST", "/api/users/permissions/", json={
        "name": "run a", "object_types": ["netbox_userscripts.userscript"], "actions": ["run"],
        "constraints": {"name": "a"}, "users": [user.pk]}).raise_for_status()

    def run(vendor):
        return requests.post(f"{nb.url}/api/plugins/userscripts/scripts/a.Pick/run/", timeout=60,
                             headers={"Authorization": token, "Accept": "application/json"},
                             json={"data": {"maker": vendor.pk}, "commit": False})

    refused = run(shown)  # no view permission on manufacturers at all
    assert refused.status_code == 400 and "maker" in refused.json(), refused.text
    nb.api("POST", "/api/users/permissions/", json={
        "name": "view one vendor", "object_types": ["dcim.manufacturer"], "actions": ["view"],
        "constraints": {"name": "Shown Vendor"}, "users": [user.pk]}).raise_for_status()
    assert run(shown).status_code == 200, run(shown).text
    refused = run(secret)  # refused as an object that does not exist
    assert refused.status_code == 400 and "maker" in refused.json(), refused.text
    missing = Manufacturer(pk=secret.pk + 1000)
    assert run(missing).json() == refused.json()
    session = nb.session("picker", "picker-password")  # the script's page: the same form, the same refusal
    url = f"{nb.url}/plugins/userscripts/scripts/a.Pick/"
    page = session.get(url)
    assert page.status_code == 200, page.text
    posted = session.post(url, headers={"Referer": url}, allow_redirects=False,
                          data={"csrfmiddlewaretoken": csrf(page.text), "maker": secret.pk})
    assert posted.status_code == 200 and "Select a valid choice" in posted.text, posted.status_code
    assert "Secret Vendor" not in posted.text
