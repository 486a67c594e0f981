"""Hooks beside NetBox Labs' branching plugin: ``branch`` and ``origin`` on ``post_commit``, the
shipped ``push_config.py`` branch-safe, vetoes in a branch and on a merge (issue 29).

One NetBox with branching (``NETBOX_BRANCHING``: ``DynamicSchemaDict``, its router, its
tables migrated on this module's clone) and one ``rqworker`` for branching's jobs
(provisioning, sync, merge, revert). The tests run in order on one branch, ``maint-42``:
an edit in it, a sync, a dry-run merge, a merge refused by a veto, the merge, the revert.
What the hooks saw is read from the central log: ``where`` lines (one per ``post_commit``),
``saved`` lines (a ``post_save`` while branching replays) and ``push config`` lines (the
shipped recipe's push). An event rule with the inline Userscript action on sites and devices
(``rule``, made before the branch) logs ``RULED`` lines: each call, and whether main already
had the change when the function ran.
"""
import json
import re
from pathlib import Path

import pytest
from conftest import wait_for

NETBOX_BRANCHING = True
# Every job in the worker's own process, one after the other (rq forks a process per job otherwise):
# an origin left behind by a merge that ended without branching's post_merge would reach the next job.
RQWORKER_OPTIONS = ["--worker-class", "rq.worker.SimpleWorker"]
REDIS_DATABASE = 2  # branching's jobs for this module's worker only (a shared Redis may have other workers on 0)
HEADER = "X-NetBox-Branch"
USERSCRIPTS = {
    "push_config.py": (Path(__file__).resolve().parents[2] / "userscripts" / "push_config.py").read_text(),
    "later.py": '''
        from dcim.models import Site
        from netbox_userscripts.tasks import task


        @task
        def make_site(name):
            Site.objects.create(name=name, slug=name)


        def call(name, **kwargs):
            make_site.enqueue(name=name)
            return name
    ''',
    "where.py": '''
        import json

        from django.dispatch import receiver

        from dcim.models import Device, Site
        from extras.models import Tag
        from netbox_userscripts import AbortEvent, context
        from netbox_userscripts.signals import post_commit, post_save, pre_save
        from utilities.exceptions import AbortRequest


        @receiver(post_commit, sender=Site)
        @receiver(post_commit, sender=Device)
        def where(sender, changes, branch, origin, using, **kwargs):
            logger.info("where %s", json.dumps({
                "model": sender._meta.label, "branch": branch and branch.name, "using": using,
                "origin": origin and [origin.kind, origin.branch.name],
                "changes": [[c.action, (c.after or c.before)["name"]] for c in changes]}))


        @receiver(post_save, sender=Site)
        def saved(sender, instance, raw, **kwargs):
            if context.origin() is not None:
                logger.info("saved %s raw=%s while %s", instance.name, raw, context.origin().kind)


        @receiver(pre_save, sender=Site)
        def refuse(sender, instance, **kwargs):
            if instance.name.startswith("vetoed"):
                raise AbortRequest("vetoed sites are refused")
            replaying = context.origin()
            if replaying and replaying.kind == "merge" and Tag.objects.filter(name="change-freeze").exists():
                raise AbortEvent(f"change freeze: {instance.name} is not merged")
    ''',
    "ruled.py": '''
        import json

        from django.db import connections

        from netbox_userscripts import context

        # Main has the change when a row there has the event's id and the edited value.
        ON_MAIN = {
            "dcim.site": ("SELECT count(*) FROM dcim_site WHERE id = %s AND name = %s", lambda data: data["name"]),
            "dcim.device": ("SELECT count(*) FROM dcim_device WHERE id = %s AND primary_ip4_id IS NOT DISTINCT FROM %s",
                            lambda data: (data["primary_ip4"] or {}).get("id")),
        }


        def on_main(object_type, data):
            """Whether main has the object as the event shows it, over a new connection: committed on main."""
            query, value = ON_MAIN[object_type]
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(query, [data["id"], value(data)])
                    return cursor.fetchone()[0] == 1
            finally:
                other.close()


        def on_event(event, object_type, data, **kwargs):
            branch, origin = context.branch(), context.origin()
            logger.info("RULED %s", json.dumps({
                "event": event, "name": data["name"], "on_main": on_main(object_type, data),
                "branch": branch and branch.name, "origin": origin and [origin.kind, origin.branch.name]}))
    ''',
}
WHERE = re.compile(r" where (\{.*\})$", re.MULTILINE)
RULED = re.compile(r"INFO ruled\.py: RULED (\{.*\})$", re.MULTILINE)
PUSH = re.compile(r"push config to (\S+): primary IPv4 (\S+) -> (\S+)$", re.MULTILINE)


def seen(nb):
    return [json.loads(line) for line in WHERE.findall(nb.log())]


def rule_calls(nb):
    return [json.loads(line) for line in RULED.findall(nb.log())]


def pushes(nb):
    return PUSH.findall(nb.log())


def status(record):
    return record["status"]["value"]


@pytest.fixture(scope="module")
def device(nb):
    """A device on main with two addresses on its interface, the first its primary IPv4 (before any branch)."""
    from dcim.models import Device, DeviceRole, DeviceType, Interface, Manufacturer, Site
    from ipam.models import IPAddress

    site = Site.objects.create(name="ams1", slug="ams1")
    maker = Manufacturer.objects.create(name="maker", slug="maker")
    kind = DeviceType.objects.create(manufacturer=maker, model="edge", slug="edge")
    role = DeviceRole.objects.create(name="edge", slug="edge")
    device = Device.objects.create(name="ams1-edge", site=site, device_type=kind, role=role)
    interface = Interface.objects.create(device=device, name="eth0", type="1000base-t")
    first, second = (IPAddress.objects.create(address=a, assigned_object=interface)
                     for a in ("10.1.0.11/24", "10.1.0.12/24"))
    device.primary_ip4 = first
    device.save()
    return {"id": device.pk, "second_ip": second.pk}


@pytest.fixture(scope="module")
def rule(nb):
    """An event rule on site and device creates and updates with the inline Userscript action (``ruled.py``)."""
    from core.models import ObjectType

    from dcim.models import Device, Site
    from extras.models import EventRule
    from netbox_userscripts.models import Userscript

    module = wait_for(lambda: Userscript.objects.filter(name="ruled", state="loaded").first(), timeout=30)
    assert module is not None
    made = EventRule(name="sites and devices to ruled", event_types=["object_created", "object_updated"],
                     action_type="userscripts.call", action_object=module)
    made.full_clean()
    made.save()
    made.object_types.set([ObjectType.objects.get_for_model(model) for model in (Site, Device)])
    return made


@pytest.fixture(scope="module")
def branch(nb, rqworker, device):
    """``maint-42``, created over REST and provisioned by the worker."""
    created = nb.api("POST", "/api/plugins/branching/branches/", json={"name": "maint-42"})
    assert created.status_code == 201, created.text
    path = f"/api/plugins/branching/branches/{created.json()['id']}/"
    ready = wait_for(lambda: status(record := nb.api("GET", path).json()) == "ready" and record, timeout=90)
    assert ready, (nb.api("GET", path).text, nb.api("GET", "/api/core/jobs/?brief=1").text)
    return ready


def run_job(nb, branch, action, commit=True):
    """``POST .../branches/ID/<action>/``, then wait for its job to end; returns the job's status."""
    answer = nb.api("POST", f"/api/plugins/branching/branches/{branch['id']}/{action}/", json={"commit": commit})
    assert answer.status_code == 200, answer.text
    path = f"/api/core/jobs/{answer.json()['id']}/"
    ended = wait_for(lambda: status(job := nb.api("GET", path).json()) in ("completed", "errored", "failed") and job,
                     timeout=90)
    assert ended, nb.api("GET", path).text
    return status(ended)


def on_main(nb, name):
    return nb.api("GET", f"/api/dcim/sites/?name={name}").json()["count"]


def next_job_is_an_ordinary_edit(nb, name):
    """A task run by the worker after branching's job: its save has no branch and no origin left over."""
    count = len(seen(nb))
    assert nb.api("GET", f"/userscript/?script=later&name={name}").status_code == 200
    made = wait_for(lambda: [line for line in seen(nb)[count:] if line["changes"] == [["create", name]]], timeout=30)
    assert made == [{"model": "dcim.Site", "branch": None, "using": "default", "origin": None,
                     "changes": [["create", name]]}]


def test_an_edit_in_a_branch_names_the_branch_and_pushes_nothing(nb, rule, branch, device):
    count, pushed = len(seen(nb)), len(pushes(nb))
    headers = {HEADER: branch["schema_id"]}
    made = nb.api("POST", "/api/dcim/sites/", json={"name": "branch-site", "slug": "branch-site"}, headers=headers)
    assert made.status_code == 201, made.text
    edited = nb.api("PATCH", f"/api/dcim/devices/{device['id']}/", json={"primary_ip4": device["second_ip"]},
                    headers=headers)
    assert edited.status_code == 200, edited.text
    lines = wait_for(lambda: len(seen(nb)) >= count + 2 and seen(nb)[count:])
    using = f"schema_branch_{branch['schema_id']}"
    assert lines == [{"model": "dcim.Site", "branch": "maint-42", "using": using, "origin": None,
                      "changes": [["create", "branch-site"]]},
                     {"model": "dcim.Device", "branch": "maint-42", "using": using, "origin": None,
                      "changes": [["update", "ams1-edge"]]}]
    assert len(pushes(nb)) == pushed  # the primary IP changed, in a branch only: not live, not pushed
    assert on_main(nb, "branch-site") == 0


def test_an_inline_event_rule_runs_for_an_edit_in_a_branch_once_the_branch_commits(nb, rule):
    """NetBox fires event rules for a branch's edits as for main's: the function runs, the change is not on main."""
    calls = wait_for(lambda: len(rule_calls(nb)) >= 2 and rule_calls(nb))
    assert calls == [{"event": "object_created", "name": "branch-site", "on_main": False, "branch": "maint-42",
                      "origin": None},
                     {"event": "object_updated", "name": "ams1-edge", "on_main": False, "branch": "maint-42",
                      "origin": None}]


def test_a_veto_in_a_branch_refuses_the_edit(nb, branch):
    refused = nb.api("POST", "/api/dcim/sites/", json={"name": "vetoed-1", "slug": "vetoed-1"},
                     headers={HEADER: branch["schema_id"]})
    assert refused.status_code == 400 and "vetoed sites are refused" in refused.text, refused.text


def test_a_sync_names_the_branch_and_its_origin(nb, branch):
    made = nb.api("POST", "/api/dcim/sites/", json={"name": "main-site", "slug": "main-site"})
    assert made.status_code == 201, made.text
    count, called = len(seen(nb)), len(rule_calls(nb))
    assert run_job(nb, branch, "sync") == "completed"
    synced = [line for line in seen(nb)[count:] if line["origin"]]
    assert synced and all(line["branch"] == "maint-42" and line["origin"] == ["sync", "maint-42"] for line in synced)
    assert ["create", "main-site"] in [change for line in synced for change in line["changes"]]
    assert rule_calls(nb)[called:] == []  # a sync replays main's changes with no event of NetBox's


def test_a_dry_run_merge_sends_nothing(nb, branch, rule):
    count, pushed, called = len(seen(nb)), len(pushes(nb)), len(rule_calls(nb))
    assert run_job(nb, branch, "merge", commit=False) == "completed"
    assert seen(nb)[count:] == [] and len(pushes(nb)) == pushed
    assert rule_calls(nb)[called:] == []  # the rule's events were flushed in the rolled-back transaction
    assert on_main(nb, "branch-site") == 0
    next_job_is_an_ordinary_edit(nb, "after-dry-run")


def test_a_veto_on_main_refuses_the_merge(nb, branch, rule):
    freeze = nb.api("POST", "/api/extras/tags/", json={"name": "change-freeze", "slug": "change-freeze"})
    assert freeze.status_code == 201, freeze.text
    count, pushed, called = len(seen(nb)), len(pushes(nb)), len(rule_calls(nb))
    try:
        assert run_job(nb, branch, "merge") == "errored"
    finally:
        nb.api("DELETE", f"/api/extras/tags/{freeze.json()['id']}/")
    assert on_main(nb, "branch-site") == 0  # nothing applied
    assert [line for line in seen(nb)[count:] if line["origin"]] == [] and len(pushes(nb)) == pushed
    assert "change freeze: branch-site is not merged" in nb.log()
    assert rule_calls(nb)[called:] == []  # its events were flushed in the rolled-back transaction
    next_job_is_an_ordinary_edit(nb, "after-refused-merge")


def test_a_merge_is_one_post_commit_per_model_from_the_branch_and_pushes_once(nb, branch):
    count, pushed = len(seen(nb)), len(pushes(nb))
    assert run_job(nb, branch, "merge") == "completed"
    merged = [line for line in seen(nb)[count:] if line["origin"]]
    assert sorted(line["model"] for line in merged) == ["dcim.Device", "dcim.Site"]
    assert all(line["branch"] is None and line["origin"] == ["merge", "maint-42"] and line["using"] == "default"
               for line in merged)
    site, = (line for line in merged if line["model"] == "dcim.Site")
    assert site["changes"] == [["create", "branch-site"]]
    assert pushes(nb)[pushed:] == [("ams1-edge", "10.1.0.11/24", "10.1.0.12/24")]
    assert "saved branch-site raw=True while merge" in nb.log()  # a merged create is a raw save
    assert on_main(nb, "branch-site") == 1


def test_the_merge_called_the_inline_event_rule_once_per_change_after_it_committed(nb, rule):
    """The merge just above (the dry run and the refused merge called nothing): on main, with the merge's origin."""
    merged = [call for call in rule_calls(nb) if call["origin"] == ["merge", "maint-42"]]
    assert sorted(merged, key=lambda call: call["name"]) == [
        {"event": "object_updated", "name": "ams1-edge", "on_main": True, "branch": None,
         "origin": ["merge", "maint-42"]},
        {"event": "object_created", "name": "branch-site", "on_main": True, "branch": None,
         "origin": ["merge", "maint-42"]}]


def test_a_revert_names_its_origin(nb, branch, rule):
    count, called = len(seen(nb)), len(rule_calls(nb))
    assert run_job(nb, branch, "revert") == "completed"
    reverted = [line for line in seen(nb)[count:] if line["origin"]]
    assert reverted and all(line["branch"] is None and line["origin"] == ["revert", "maint-42"] for line in reverted)
    assert ["delete", "branch-site"] in [change for line in reverted for change in line["changes"]]
    assert on_main(nb, "branch-site") == 0
    # The rule (creates and updates) is called for the device put back, on main once the revert has committed.
    assert rule_calls(nb)[called:] == [{"event": "object_updated", "name": "ams1-edge", "on_main": True, "branch": None,
                                        "origin": ["revert", "maint-42"]}]
