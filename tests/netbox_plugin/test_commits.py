"""``post_commit`` inside a real NetBox: UI, REST API, scripts, bulk edits, background jobs in ``rqworker``.

The userscript logs one line per signal (model, the changes, the process); the tests read
the central log. What rolled back (a 400, a veto, a script run without commit) logs nothing.
"""
import json
import os
import re
import subprocess
from pathlib import Path

from conftest import csrf, stop_rqworker, wait_for

USERSCRIPTS = {
    "pusher.py": '''
        import json
        import os

        from django.dispatch import receiver

        from dcim.models import Site
        from netbox_userscripts import AbortEvent
        from netbox_userscripts.signals import post_commit, pre_delete


        @receiver(post_commit, sender=Site)
        def committed(sender, changes, request, using, **kwargs):
            summary = [[c.action, c.before and c.before["name"], c.after and c.after["name"], sorted(c.changed)]
                       for c in changes]
            logger.info("post_commit %s pid=%s request=%s %s", sender._meta.label, os.getpid(),
                        request is not None, json.dumps(summary))


        @receiver(post_commit, sender=Site)
        def broken(sender, changes, **kwargs):
            raise RuntimeError("this receiver always fails")


        @receiver(pre_delete, sender=Site)
        def keep_core(sender, instance, **kwargs):
            if instance.name == "core":
                raise AbortEvent("core must stay")
    ''',
    "sitejobs.py": '''
        from dcim.models import Site
        from extras.scripts import Script, StringVar


        class AddSite(Script):
            site_name = StringVar()

            def run(self, data, commit):
                Site.objects.create(name=data["site_name"], slug=data["site_name"])
    ''',
}
USERSCRIPTS["push_config.py"] = (Path(__file__).resolve().parents[2] / "userscripts" / "push_config.py").read_text()
LINE = re.compile(r"post_commit dcim\.Site pid=(\d+) request=(True|False) (\[.*\])$", re.MULTILINE)


def committed(nb):
    """Every post_commit line so far: (pid, had a request, [[action, before name, after name, changed]])."""
    return [(int(pid), request == "True", json.loads(changes)) for pid, request, changes in LINE.findall(nb.log())]


def wait_for_lines(nb, count, timeout=20):
    return wait_for(lambda: (lines := committed(nb)) and len(lines) >= count and lines, timeout=timeout) or []


def sites(*names):
    from dcim.models import Site

    return [Site.objects.create(name=name, slug=name) for name in names]


def test_an_api_create_and_edit_are_sent_after_the_commit_in_the_server(nb):
    count = len(committed(nb))
    created = nb.api("POST", "/api/dcim/sites/", json={"name": "api-a", "slug": "api-a"})
    assert created.status_code == 201, created.text
    assert nb.api("PATCH", f"/api/dcim/sites/{created.json()['id']}/", json={"name": "api-b"}).status_code == 200
    lines = wait_for_lines(nb, count + 2)
    (pid, request, create), (_, _, update) = lines[count:count + 2]
    assert pid == nb.server.process.pid
    assert request and create == [["create", None, "api-a", create[0][3]]] and "name" in create[0][3]
    assert update == [["update", "api-a", "api-b", ["last_updated", "name"]]]
    assert "receiver broken failed on post_commit of dcim.Site" in nb.log()  # and the other one still ran


def test_a_bulk_post_with_a_bad_item_sends_nothing(nb):
    count = len(committed(nb))
    answer = nb.api("POST", "/api/dcim/sites/", json=[{"name": "bad-a", "slug": "bad-a"},
                                                      {"name": "bad-b", "slug": "bad b!"}])
    assert answer.status_code == 400
    assert nb.api("GET", "/api/dcim/sites/?name=bad-a").json()["count"] == 0
    nb.api("POST", "/api/dcim/sites/", json={"name": "marker-1", "slug": "marker-1"})
    lines = wait_for_lines(nb, count + 1)
    assert [line[2][0][2] for line in lines[count:]] == ["marker-1"]


def test_a_bulk_patch_of_n_sites_is_one_signal_with_n_updates(nb):
    objects = sites("patch-a", "patch-b", "patch-c")
    count = len(committed(nb))
    answer = nb.api("PATCH", "/api/dcim/sites/", json=[{"id": o.pk, "description": "edited"} for o in objects])
    assert answer.status_code == 200, answer.text
    (_, _, changes), = wait_for_lines(nb, count + 1)[count:]
    assert [c[:3] for c in changes] == [["update", n, n] for n in ("patch-a", "patch-b", "patch-c")]
    assert all("description" in c[3] for c in changes)


def test_a_vetoed_delete_sends_nothing(nb):
    core, = sites("core")
    count = len(committed(nb))
    assert nb.api("DELETE", f"/api/dcim/sites/{core.pk}/").status_code == 400
    nb.api("POST", "/api/dcim/sites/", json={"name": "marker-2", "slug": "marker-2"})
    lines = wait_for_lines(nb, count + 1)
    assert [line[2][0][:3] for line in lines[count:]] == [["create", None, "marker-2"]]


def test_a_ui_bulk_edit_is_one_signal(nb):
    objects = sites("ui-a", "ui-b")
    count = len(committed(nb))
    session = nb.session()
    page = session.get(f"{nb.url}/dcim/sites/")
    done = session.post(f"{nb.url}/dcim/sites/edit/", data={
        "pk": [o.pk for o in objects], "_apply": "1", "description": "from the ui",
        "csrfmiddlewaretoken": csrf(page.text)}, headers={"Referer": f"{nb.url}/dcim/sites/"}, allow_redirects=False)
    assert done.status_code == 302, done.text[-2000:]
    (_, request, changes), = wait_for_lines(nb, count + 1)[count:]
    assert request and sorted(c[1] for c in changes) == ["ui-a", "ui-b"]


def test_a_script_sends_only_when_it_commits(nb):
    count = len(committed(nb))
    dry = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.AddSite/run/",
                 json={"data": {"site_name": "dry-run"}, "commit": False})
    assert dry.status_code in (200, 201), dry.text
    real = nb.api("POST", "/api/plugins/userscripts/scripts/sitejobs.AddSite/run/",
                  json={"data": {"site_name": "real-run"}, "commit": True})
    assert real.status_code in (200, 201), real.text
    lines = wait_for_lines(nb, count + 1)
    assert [line[2][0][:3] for line in lines[count:]] == [["create", None, "real-run"]]


def test_background_bulk_work_in_rqworker_is_sent_there(nb):
    from dcim.models import Site

    objects = sites("rq-a", "rq-b")
    count = len(committed(nb))
    worker = subprocess.Popen([*nb.manage_command, "rqworker", "high", "default", "low"], env=nb.env,
                              cwd=nb.env["NETBOX_ROOT"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        session = nb.session()
        page = session.get(f"{nb.url}/dcim/sites/")
        answer = session.post(f"{nb.url}/dcim/sites/edit/", data={
            "pk": [o.pk for o in objects], "_apply": "1", "description": "in the background", "background_job": "on",
            "csrfmiddlewaretoken": csrf(page.text)}, headers={"Referer": f"{nb.url}/dcim/sites/"},
            allow_redirects=False)
        assert answer.status_code == 302, answer.text[-2000:]
        (pid, _, changes), = wait_for_lines(nb, count + 1, timeout=120)[count:]
        # rqworker runs each job in a work horse it forks: neither the server nor this process
        assert pid not in (nb.server.process.pid, os.getpid()) and sorted(c[1] for c in changes) == ["rq-a", "rq-b"]
        # 4.7's ?background=true: the API's bulk write as a job in the worker, one signal there too.
        queued = nb.api("PATCH", "/api/dcim/sites/?background=true",
                        json=[{"id": o.pk, "description": "api background"} for o in objects])
        assert queued.status_code == 202, queued.text
        (pid, _, changes), = wait_for_lines(nb, count + 2, timeout=120)[count + 1:]
        assert pid not in (nb.server.process.pid, os.getpid()) and [c[0] for c in changes] == ["update", "update"]
        assert set(Site.objects.filter(pk__in=[o.pk for o in objects]).values_list("description", flat=True)) == {
            "api background"}
    finally:
        stop_rqworker(worker)


def test_replay_of_the_change_log_prints_what_push_config_would_have_pushed(nb):
    """``netbox userscripts_replay push_config --since 1h``: a REST edit's push printed again, rolled back."""
    from dcim.models import Device, DeviceRole, DeviceType, Interface, Manufacturer, Site
    from ipam.models import IPAddress

    site = Site.objects.create(name="replay-site", slug="replay-site")
    kind = DeviceType.objects.create(manufacturer=Manufacturer.objects.create(name="rm", slug="rm"), model="rm1",
                                     slug="rm1")
    device = Device.objects.create(name="replay-sw", site=site, device_type=kind,
                                   role=DeviceRole.objects.create(name="replay", slug="replay"))
    interface = Interface.objects.create(device=device, name="eth0", type="1000base-t")
    first, second = (IPAddress.objects.create(address=address, assigned_object=interface)
                     for address in ("10.9.0.1/24", "10.9.0.2/24"))
    device.primary_ip4 = first
    device.save()
    edited = nb.api("PATCH", f"/api/dcim/devices/{device.pk}/", json={"primary_ip4": second.pk})
    assert edited.status_code == 200, edited.text
    push = "push config to replay-sw: primary IPv4 10.9.0.1/24 -> 10.9.0.2/24"
    assert wait_for(lambda: push in nb.log())  # live, once
    done = nb.manage("userscripts_replay", "push_config", "--since", "1h")
    assert done.returncode == 0, done.stderr
    assert f"INFO     {push}" in done.stdout and "rolled back" in done.stdout
    assert nb.log().count(push) == 1  # the replay's push did not happen: not in the central log
    missing = nb.manage("userscripts_replay", "push_config", "--change-ids", "99999999")
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == ["CommandError: userscripts_replay: no change log record 99999999."]
