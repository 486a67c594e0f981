"""NetBox's change log and events around userscripts: jobs as NetBox runs scripts, vetoes that leave nothing.

A real webhook (an event rule on sites) posts to an HTTP receiver in this process, delivered
by a real ``rqworker``. Absence is proven by order: one worker delivers the queue in order,
so once a marker change made after the work in question has arrived, anything that work
queued would have arrived before it.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import csrf, running_rqworker, wait_for

USERSCRIPTS = {
    "guarded.py": '''
        from dcim.models import Site
        from extras.scripts import Script, StringVar

        from netbox_userscripts import AbortEvent
        from netbox_userscripts.signals import pre_delete, pre_save


        class MakeSite(Script):
            site_name = StringVar()

            def run(self, data, commit):
                site = Site.objects.create(name=data["site_name"], slug=data["site_name"])
                site.description = "edited by the job"
                site.save()
                return site.name


        def refuse_vetoed(sender, instance, **kwargs):
            if instance.name.startswith("vetoed"):
                raise AbortEvent(f"{instance.name} is vetoed")


        def refuse_kept(sender, instance, **kwargs):
            if instance.description == "keep":
                raise AbortEvent(f"{instance.name} is kept")


        pre_save.connect(refuse_vetoed, sender=Site)
        pre_delete.connect(refuse_kept, sender=Site)
    ''',
}


class Receiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def webhooks(nb):
    """Every webhook body NetBox posts for a site created, updated or deleted (a list, in arrival order)."""
    from core.models import ObjectType

    from dcim.models import Site
    from extras.models import EventRule, Webhook

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    webhook = Webhook.objects.create(name="receiver", payload_url=f"http://127.0.0.1:{server.server_port}/")
    rule = EventRule.objects.create(name="sites", event_types=["object_created", "object_updated", "object_deleted"],
                                    action_type="webhook", action_object=webhook)
    rule.object_types.set([ObjectType.objects.get_for_model(Site)])
    try:
        with open(Path(nb.env["NBTEST_SERVER_LOG"]).with_name("rqworker.log"), "ab") as log, running_rqworker(nb, log):
            yield Receiver.received
    finally:
        server.shutdown()


def names_posted(nb, webhooks, marker):
    """The site names of the webhooks that arrived, once the marker site's creation has arrived."""
    from dcim.models import Site

    Site.objects.filter(name=marker).delete()
    assert nb.api("POST", "/api/dcim/sites/", json={"name": marker, "slug": marker}).status_code == 201
    assert wait_for(lambda: any(w["data"]["name"] == marker for w in webhooks), timeout=60), webhooks
    return [(w["event"], w["data"]["name"]) for w in webhooks]


def changes_of(name):
    from core.models import ObjectChange

    return list(ObjectChange.objects.filter(object_repr=name).order_by("pk"))


def run_api(nb, data, commit):
    answer = nb.api("POST", "/api/plugins/userscripts/scripts/guarded.MakeSite/run/", json={"data": data,
                                                                                           "commit": commit})
    assert answer.status_code == 200 and answer.json()["status"] == "completed", answer.text
    return answer.json()


def test_a_committed_api_run_is_change_logged_and_posts_its_events(nb, webhooks):
    run_api(nb, {"site_name": "job-committed"}, True)
    changes = changes_of("job-committed")
    assert [c.action for c in changes] == ["create", "update"]
    assert {c.user_name for c in changes} == {"admin"} and len({c.request_id for c in changes}) == 1
    arrived = wait_for(lambda: [w for w in webhooks if w["data"]["name"] == "job-committed"], timeout=60)
    # NetBox coalesces one object's events in a request: one "created", with the state as committed.
    assert [(w["event"], w["data"]["description"], w["request"]["user"]) for w in arrived] == [
        ("created", "edited by the job", "admin")], arrived
    assert arrived[0]["request"]["id"] == str(changes[0].request_id)


def test_a_run_without_commit_logs_nothing_and_posts_nothing(nb, webhooks):
    run_api(nb, {"site_name": "job-dry"}, False)
    session = nb.session()
    url = f"{nb.url}/plugins/userscripts/scripts/guarded.MakeSite/"
    form = session.get(url)
    answer = session.post(url, data={"site_name": "page-dry", "csrfmiddlewaretoken": csrf(form.text)},
                          headers={"Referer": url}, allow_redirects=False)
    assert answer.status_code == 302
    posted = names_posted(nb, webhooks, "marker-dry")
    assert not [p for p in posted if p[1] in ("job-dry", "page-dry")], posted
    assert changes_of("job-dry") == [] and changes_of("page-dry") == []


def test_runjob_with_commit_is_change_logged_as_its_user(nb, webhooks):
    done = nb.manage("runjob", "guarded.MakeSite", "--commit", "--data", json.dumps({"site_name": "cli-committed"}))
    assert done.returncode == 0, done.stderr
    assert [(c.action, c.user_name) for c in changes_of("cli-committed")] == [("create", "admin"), ("update", "admin")]
    assert wait_for(lambda: any(w["data"]["name"] == "cli-committed" for w in webhooks), timeout=60)


def test_a_veto_anywhere_leaves_no_change_log_and_posts_nothing(nb, webhooks):
    from dcim.models import Site

    assert nb.api("POST", "/api/dcim/sites/", json={"name": "vetoed-api", "slug": "vetoed-api"}).status_code == 400
    bulk = nb.api("POST", "/api/dcim/sites/", json=[{"name": "bulk-ok", "slug": "bulk-ok"},
                                                    {"name": "vetoed-bulk", "slug": "vetoed-bulk"}])
    assert bulk.status_code == 400, bulk.text
    session = nb.session()
    page = session.get(f"{nb.url}/dcim/sites/add/")
    session.post(f"{nb.url}/dcim/sites/add/", data={"name": "vetoed-ui", "slug": "vetoed-ui", "status": "active",
                                                    "csrfmiddlewaretoken": csrf(page.text)},
                 headers={"Referer": f"{nb.url}/dcim/sites/add/"})
    kept = Site.objects.create(name="kept", slug="kept", description="keep")
    assert nb.api("DELETE", f"/api/dcim/sites/{kept.pk}/").status_code == 400
    assert nb.api("DELETE", "/api/dcim/sites/", json=[{"id": kept.pk}]).status_code == 400
    page = session.get(f"{nb.url}/dcim/sites/{kept.pk}/delete/")
    session.post(f"{nb.url}/dcim/sites/{kept.pk}/delete/", data={"confirm": "true",
                                                                "csrfmiddlewaretoken": csrf(page.text)},
                 headers={"Referer": f"{nb.url}/dcim/sites/{kept.pk}/"})
    assert Site.objects.filter(pk=kept.pk).exists()
    assert not Site.objects.filter(name__in=["vetoed-api", "vetoed-bulk", "vetoed-ui", "bulk-ok"]).exists()
    posted = names_posted(nb, webhooks, "marker-veto")
    assert not [p for p in posted if p[1] in ("vetoed-api", "vetoed-bulk", "vetoed-ui", "bulk-ok", "kept")], posted
    for name in ("vetoed-api", "vetoed-bulk", "vetoed-ui", "bulk-ok", "kept"):
        assert changes_of(name) == [], name

