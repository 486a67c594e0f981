"""The event-rule action "Userscript" (``userscripts.call``): NetBox's rules call a userscript's function."""
import json
import re

import pytest
from conftest import csrf, running_rqworker, wait_for

USERSCRIPTS = {
    "ruled.py": '''
        import json
        import os


        def on_event(event, object_type, data, snapshots, username, request_id, **rest):
            logger.info("EVENT %s", json.dumps({
                "event": event, "object_type": object_type, "name": data["name"], "username": username,
                "request_id": request_id, "prechange": snapshots["prechange"] is not None, "rest": rest,
                "pid": os.getpid()}))


        def other(data, tag, **kwargs):
            logger.info("OTHER %s %s", data["name"], tag)


        def broken(**kwargs):
            raise RuntimeError("broken on purpose")
    ''',
    "doomed.py": "def on_event(**kwargs):\n    logger.info('DOOMED ran')\n",
    "aftercommit.py": '''
        import json

        from dcim.models import Site
        from django.db import connections
        from extras.scripts import Script, StringVar


        def committed(name):
            """Whether the site is there for another connection: then its transaction has committed."""
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM dcim_site WHERE name = %s", [name])
                    return cursor.fetchone()[0] == 1
            finally:
                other.close()


        def on_event(data, **kwargs):
            logger.info("AFTER %s", json.dumps({"name": data["name"], "committed": committed(data["name"])}))


        def fails(data, **kwargs):
            raise RuntimeError(f"failed after the commit of {data['name']} (committed: {committed(data['name'])})")


        class MakeSite(Script):
            site_name = StringVar()

            def run(self, data, commit):
                Site.objects.create(name=data["site_name"], slug=data["site_name"])
    ''',
}


def row(name, state="loaded"):
    from netbox_userscripts.models import Userscript

    return wait_for(lambda: Userscript.objects.filter(name=name, state=state).first(), timeout=30)


def make_rule(name, module, action_data=None, events=("object_created", "object_updated")):
    """A rule on sites made as NetBox's UI saves one (``full_clean``, then ``save``)."""
    from core.models import ObjectType

    from dcim.models import Site
    from extras.models import EventRule

    rule = EventRule(name=name, event_types=list(events), action_type="userscripts.call", action_object=row(module),
                     action_data=action_data)
    rule.full_clean()
    rule.save()
    rule.object_types.set([ObjectType.objects.get_for_model(Site)])
    return rule


def events_logged(nb, marker="EVENT", module="ruled"):
    return [json.loads(m) for m in re.findall(rf"INFO {module}\.py: {marker} (\{{.*\}})", nb.log())]


def create_site(nb, name):
    answer = nb.api("POST", "/api/dcim/sites/", json={"name": name, "slug": name})
    assert answer.status_code == 201, answer.text
    return answer


def test_each_module_has_a_row_kept_by_the_loader(nb):
    ruled = row("ruled")
    assert ruled is not None and re.fullmatch(r"[0-9a-f]{12}", ruled.version) and ruled.last_loaded is not None
    assert row("doomed") is not None


def test_a_rule_made_through_netboxs_api_calls_on_event_with_the_event(nb):
    made = nb.api("POST", "/api/extras/event-rules/", json={
        "name": "sites to ruled", "object_types": ["dcim.site"], "event_types": ["object_created", "object_updated"],
        "action_type": "userscripts.call", "action_object_type": "netbox_userscripts.userscript",
        "action_object_id": row("ruled").pk})
    assert made.status_code == 201, made.text
    assert made.json()["action_object"]["name"] == "ruled"
    answer = create_site(nb, "ev-created")
    events = wait_for(lambda: [e for e in events_logged(nb) if e["name"] == "ev-created"])
    assert events == [{"event": "object_created", "object_type": "dcim.site", "name": "ev-created",
                       "username": "admin", "request_id": answer.headers["X-Request-ID"], "prechange": False,
                       "rest": {}, "pid": events[0]["pid"]}]
    nb.api("PATCH", f"/api/dcim/sites/{answer.json()['id']}/", json={"description": "x"}).raise_for_status()
    assert wait_for(lambda: [e for e in events_logged(nb) if e["event"] == "object_updated" and e["prechange"]])


def test_action_data_names_the_function_and_the_rest_are_keywords(nb):
    make_rule("sites to other", "ruled", {"function": "other", "tag": "from-the-rule"})
    create_site(nb, "ev-other")
    assert wait_for(lambda: "OTHER ev-other from-the-rule" in nb.log())


def test_a_failing_function_is_logged_and_breaks_nothing(nb):
    make_rule("sites to broken", "ruled", {"function": "broken"})
    create_site(nb, "ev-broken")
    assert wait_for(lambda: "RuntimeError: broken on purpose" in nb.log())
    assert "event rule 'sites to broken': broken() failed on object_created of dcim.site" in nb.log()
    assert wait_for(lambda: [e for e in events_logged(nb) if e["name"] == "ev-broken"])  # the other rules ran


def test_bad_action_data_is_refused_naming_what_is_wrong(nb):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=r"The userscript ruled has no function nope\(\)"):
        make_rule("bad function", "ruled", {"function": "nope"})
    with pytest.raises(ValidationError, match='"function" must name a function'):
        make_rule("bad name", "ruled", {"function": "../x"})
    with pytest.raises(ValidationError, match="RQ worker process not running"):
        make_rule("no worker", "ruled", {"background": True})
    with pytest.raises(ValidationError, match='"background" must be true or false'):
        make_rule("bad background", "ruled", {"background": "yes"})


def test_the_page_lists_the_rules_calling_each_module(nb):
    page = nb.session().get(f"{nb.url}/plugins/userscripts/")
    assert page.status_code == 200
    module_row = page.text[page.text.index('id="module-ruled"'):]
    module_row = module_row[:module_row.index("</tr>")]
    assert "sites to ruled" in module_row and "sites to other" in module_row


def test_a_rule_whose_module_was_deleted_is_skipped_with_a_log_line(nb):
    make_rule("sites to doomed", "doomed")
    (nb.folder / "doomed.py").unlink()
    assert row("doomed", state="deleted") is not None
    create_site(nb, "ev-doomed")
    assert wait_for(lambda: "event rule 'sites to doomed' skipped: No userscript 'doomed' is loaded." in nb.log())
    assert "DOOMED ran" not in nb.log()


def test_a_background_rule_runs_as_a_netbox_job_on_rqworker(nb):
    from core.models import Job

    from extras.models import EventRule

    EventRule.objects.filter(action_type="userscripts.call").update(enabled=False)
    with running_rqworker(nb):
        assert wait_for(lambda: _worker_is_up(), timeout=60)
        make_rule("sites in the background", "ruled", {"background": True})
        answer = create_site(nb, "ev-background")
        events = wait_for(lambda: [e for e in events_logged(nb) if e["name"] == "ev-background"], timeout=60)
        assert events and events[0]["request_id"] == answer.headers["X-Request-ID"]
        assert events[0]["pid"] != _server_pid(nb)
        assert wait_for(lambda: Job.objects.filter(name="ruled.on_event", status="completed").exists(), timeout=30)


def _worker_is_up():
    from netbox.constants import RQ_QUEUE_DEFAULT
    from utilities.rqworker import any_workers_for_queue

    return any_workers_for_queue(RQ_QUEUE_DEFAULT)


def _server_pid(nb):
    return nb.server.process.pid


def test_a_rule_made_in_netboxs_form_picks_the_module_and_its_function(nb):
    from core.models import ObjectType

    from dcim.models import Site
    from extras.models import EventRule

    session = nb.session()
    url = f"{nb.url}/extras/event-rules/add/"
    form = session.get(f"{url}?action_type=userscripts.call")
    assert form.status_code == 200 and 'data-url="/api/plugins/userscripts/modules/"' in form.text
    picked = session.get(f"{nb.url}/api/plugins/userscripts/modules/?brief=true&q=rule").json()
    assert [(m["display"], m["state"]) for m in picked["results"]] == [("ruled", "loaded")]
    fields = {"name": "made in the form", "object_types": [ObjectType.objects.get_for_model(Site).pk],
              "enabled": "on", "event_types": ["object_created"], "action_type": "userscripts.call",
              "action_choice": picked["results"][0]["id"], "csrfmiddlewaretoken": csrf(form.text)}
    refused = session.post(url, data={**fields, "action_data": '{"function": "nope"}'}, headers={"Referer": url})
    assert "The userscript ruled has no function nope()" in refused.text
    made = session.post(url, data={**fields, "action_data": '{"function": "other", "tag": "via-form"}'},
                        headers={"Referer": url}, allow_redirects=False)
    assert made.status_code == 302, re.findall(r'text-danger[^>]*>\s*([^<]*)', made.text)
    assert EventRule.objects.get(name="made in the form").action_object.name == "ruled"
    create_site(nb, "ev-form")
    assert wait_for(lambda: "OTHER ev-form via-form" in nb.log())


def only_rule(name, module, action_data=None):
    """A rule on site creations, the only Userscript rule enabled (the earlier tests' rules are switched off)."""
    from extras.models import EventRule

    EventRule.objects.filter(action_type="userscripts.call").update(enabled=False)
    return make_rule(name, module, action_data, events=("object_created",))


def after_commit_logged(nb, name):
    return [e for e in events_logged(nb, "AFTER", "aftercommit") if e["name"] == name]


def test_an_inline_rule_runs_once_after_the_commit_of_a_rest_create(nb):
    only_rule("after a rest create", "aftercommit")
    create_site(nb, "ea-rest")
    assert wait_for(lambda: after_commit_logged(nb, "ea-rest")) == [{"name": "ea-rest", "committed": True}]


def test_an_inline_rule_does_not_run_for_a_script_run_without_commit(nb):
    only_rule("after a script run", "aftercommit")
    for name, commit in (("ea-dry", False), ("ea-wet", True)):
        answer = nb.api("POST", "/api/plugins/userscripts/scripts/aftercommit.MakeSite/run/",
                        json={"data": {"site_name": name}, "commit": commit})
        assert answer.status_code == 200 and answer.json()["status"] == "completed", answer.text
    assert wait_for(lambda: after_commit_logged(nb, "ea-wet")) == [{"name": "ea-wet", "committed": True}]
    assert after_commit_logged(nb, "ea-dry") == []


def test_an_inline_rule_flushed_inside_a_transaction_waits_for_its_commit_and_never_runs_on_a_rollback(nb):
    """As NetBox Branching merges: each replayed change in ``event_tracking`` inside the merge's transaction."""
    import uuid

    from django.db import transaction
    from django.test import RequestFactory

    from dcim.models import Site
    from netbox.context_managers import event_tracking

    only_rule("after a replay", "aftercommit")
    make_rule("fails after a replay", "aftercommit", {"function": "fails"}, events=("object_created",))
    request = RequestFactory().get("/")
    request.id, request.user = uuid.uuid4(), nb.admin
    with transaction.atomic():
        for name in ("ea-merged-1", "ea-merged-2"):
            with event_tracking(request):
                Site.objects.create(name=name, slug=name)
        assert "ea-merged" not in nb.log()  # flushed, but the transaction is still open
    for name in ("ea-merged-1", "ea-merged-2"):
        assert wait_for(lambda name=name: after_commit_logged(nb, name)) == [{"name": name, "committed": True}]
        assert f"RuntimeError: failed after the commit of {name} (committed: True)" in nb.log()
    with transaction.atomic():
        with event_tracking(request):
            Site.objects.create(name="ea-rolled-back", slug="ea-rolled-back")
        transaction.set_rollback(True)  # a dry run, or a merge failing on a later change
    assert "ea-rolled-back" not in nb.log()


def test_a_function_failing_after_the_commit_is_logged_and_the_create_answers_201(nb):
    only_rule("fails after a rest create", "aftercommit", {"function": "fails"})
    create_site(nb, "ea-fails")
    assert wait_for(lambda: "RuntimeError: failed after the commit of ea-fails (committed: True)" in nb.log())
    assert "event rule 'fails after a rest create': fails() failed on object_created of dcim.site" in nb.log()
