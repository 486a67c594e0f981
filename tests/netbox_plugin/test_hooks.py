"""The engine's signals on NetBox's own objects: UI, API, management commands; vetoes; bulk edits; requests."""
import html
import re

from conftest import csrf, wait_for

USERSCRIPTS = {
    "hooks.py": '''
        import os

        from dcim.models import Site
        from utilities.exceptions import AbortRequest

        from netbox_userscripts import AbortEvent
        from netbox_userscripts.context import branch, origin
        from netbox_userscripts.signals import (
            post_bulk_edit, post_delete, post_request, post_save, pre_bulk_edit, pre_delete, pre_request, pre_save,
        )


        def refuse_forbidden(sender, instance, **kwargs):
            if instance.name.startswith("forbidden"):
                raise AbortEvent(f"Sites may not be named {instance.name}")


        def refuse_by_habit(sender, instance, **kwargs):
            if instance.name.startswith("nox"):
                raise AbortRequest(f"no sites named {instance.name}")  # NetBox's own veto, out of habit


        def keep_by_habit(sender, instance, **kwargs):
            if instance.name == "kept":
                raise AbortRequest("kept must stay")


        def saved(sender, instance, created, **kwargs):
            logger.info("saved site %s created=%s pid=%s branch=%s origin=%s", instance.name, created, os.getpid(),
                        branch(), origin())


        def deleted(sender, instance, **kwargs):
            logger.info("deleted site %s", instance.name)


        def before_bulk(sender, pk_list, changes, request, **kwargs):
            if changes.get("description") == "veto":
                raise AbortEvent("bulk edit vetoed by userscript")
            logger.info("pre_bulk_edit %s pks=%s changes=%s", sender._meta.label, pk_list, sorted(changes))


        def after_bulk(sender, pk_list, changes, request, **kwargs):
            logger.info("post_bulk_edit %s pks=%s", sender._meta.label, pk_list)


        def refuse_by_header(sender, request, **kwargs):
            if request.headers.get("X-Userscripts-Refuse"):
                raise AbortEvent("refused by the X-Userscripts-Refuse header")


        def answered(sender, request, response, **kwargs):
            if request.path.startswith("/api/dcim/regions/"):
                logger.info("post_request %s %s", request.path, response.status_code)


        pre_save.connect(refuse_forbidden, sender=Site)
        pre_save.connect(refuse_by_habit, sender=Site)
        pre_delete.connect(keep_by_habit, sender=Site)
        post_save.connect(saved, sender=Site)
        post_delete.connect(deleted, sender=Site)
        pre_bulk_edit.connect(before_bulk, sender=Site)
        post_bulk_edit.connect(after_bulk, sender=Site)
        pre_request.connect(refuse_by_header)
        post_request.connect(answered)
    ''',
    "fragile.py": '''
        from dcim.models import Site

        from netbox_userscripts.signals import post_save


        def fails_on_broken(sender, instance, **kwargs):
            if instance.name.startswith("broken"):
                raise ValueError(f"{instance.name} is broken")


        post_save.connect(fails_on_broken, sender=Site)
    ''',
}


def sites(*names):
    from dcim.models import Site

    return [Site.objects.create(name=name, slug=name) for name in names]


def site_exists(name):
    from dcim.models import Site

    return Site.objects.filter(name=name).exists()


def test_the_plugin_is_installed_and_migrated(nb):
    from django.db.migrations.recorder import MigrationRecorder

    status = nb.api("GET", "/api/status/").json()
    assert status["plugins"]["netbox_userscripts"] == "0.1.0"
    applied = MigrationRecorder.Migration.objects.filter(app="netbox_userscripts").values_list("name", flat=True)
    assert {"0001_initial", "0002_jobresult", "0003_jobresult_process"} <= set(applied)
    modules = nb.api("GET", "/api/plugins/userscripts/").json()
    assert modules["root"] == str(nb.folder)
    assert [m["name"] for m in modules["results"]] == ["fragile", "hooks"]
    hooks = modules["results"][1]
    assert hooks["state"] == "loaded", hooks["traceback"]
    assert {"receiver": "refuse_forbidden", "signal": "pre_save", "sender": "dcim.Site"} in hooks["receivers"]


def test_abort_event_is_netboxs_abort_request():
    from netbox_userscripts import AbortEvent
    from utilities.exceptions import AbortRequest

    exc = AbortEvent("no")
    assert isinstance(exc, AbortRequest) and exc.message == "no" and str(exc) == "no"


def test_an_api_save_fires_the_hooks(nb):
    answer = nb.api("POST", "/api/dcim/sites/", json={"name": "alpha", "slug": "alpha"})
    assert answer.status_code == 201, answer.text
    assert wait_for(lambda: "saved site alpha created=True" in nb.log())
    # NetBox Labs' branching plugin is not installed here: no branch, no origin.
    assert re.search(r"saved site alpha created=True pid=\d+ branch=None origin=None", nb.log())


def test_a_veto_is_a_400_from_the_api_and_nothing_is_written(nb):
    answer = nb.api("POST", "/api/dcim/sites/", json={"name": "forbidden-api", "slug": "forbidden-api"})
    assert answer.status_code == 400
    assert answer.json() == {"detail": "Sites may not be named forbidden-api"}
    assert not site_exists("forbidden-api")


def test_a_veto_is_a_form_error_in_the_ui_and_nothing_is_written(nb):
    session = nb.session()
    form = session.get(f"{nb.url}/dcim/sites/add/")
    answer = session.post(f"{nb.url}/dcim/sites/add/", data={
        "name": "forbidden-ui", "slug": "forbidden-ui", "status": "active", "csrfmiddlewaretoken": csrf(form.text),
    }, headers={"Referer": f"{nb.url}/dcim/sites/add/"}, allow_redirects=False)
    assert answer.status_code == 200
    assert "Sites may not be named forbidden-ui" in answer.text
    assert not site_exists("forbidden-ui")


def test_abort_request_is_a_400_from_the_api_a_veto_in_the_log_and_nothing_is_written(nb):
    answer = nb.api("POST", "/api/dcim/sites/", json={"name": "nox-api", "slug": "nox-api"})
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"detail": "no sites named nox-api"}
    assert not site_exists("nox-api")
    forbidden = nb.api("POST", "/api/dcim/sites/", json={"name": "forbidden-log", "slug": "forbidden-log"})
    assert forbidden.status_code == 400  # AbortEvent beside it: both log the same line, neither a failure
    text = nb.log()
    assert "INFO hooks.py: refuse_by_habit vetoed pre_save of dcim.Site: no sites named nox-api" in text
    assert "INFO hooks.py: refuse_forbidden vetoed pre_save of dcim.Site: Sites may not be named forbidden-log" in text
    assert "receiver refuse_by_habit failed" not in text and "receiver refuse_forbidden failed" not in text


def test_abort_request_is_a_form_error_in_the_ui_and_nothing_is_written(nb):
    from dcim.models import Site

    [site] = sites("renamed-in-ui")
    session = nb.session()
    url = f"{nb.url}/dcim/sites/{site.pk}/edit/"
    form = session.get(url)
    answer = session.post(url, data={
        "name": "nox-ui", "slug": "renamed-in-ui", "status": "active", "csrfmiddlewaretoken": csrf(form.text),
    }, headers={"Referer": url}, allow_redirects=False)
    assert answer.status_code == 200, answer.status_code
    assert "no sites named nox-ui" in answer.text
    assert Site.objects.get(pk=site.pk).name == "renamed-in-ui"


def test_abort_request_in_pre_delete_refuses_the_delete_in_the_api_and_the_ui(nb):
    [site] = sites("kept")
    answer = nb.api("DELETE", f"/api/dcim/sites/{site.pk}/")
    assert answer.status_code == 400, answer.text
    assert answer.json() == {"detail": "kept must stay"}
    session = nb.session()
    url = f"{nb.url}/dcim/sites/{site.pk}/delete/"
    form = session.get(url)
    page = session.post(url, data={"confirm": "true", "csrfmiddlewaretoken": csrf(form.text)},
                        headers={"Referer": url})
    assert page.status_code == 200 and "kept must stay" in page.text  # NetBox's message on the site's page
    assert site_exists("kept")
    assert "INFO hooks.py: keep_by_habit vetoed pre_delete of dcim.Site: kept must stay" in nb.log()


def test_a_ui_save_fires_the_hooks(nb):
    session = nb.session()
    form = session.get(f"{nb.url}/dcim/sites/add/")
    answer = session.post(f"{nb.url}/dcim/sites/add/", data={
        "name": "beta", "slug": "beta", "status": "active", "csrfmiddlewaretoken": csrf(form.text),
    }, headers={"Referer": f"{nb.url}/dcim/sites/add/"}, allow_redirects=False)
    assert answer.status_code == 302, answer.text[-2000:]
    assert site_exists("beta")
    assert wait_for(lambda: "saved site beta created=True" in nb.log())


def test_an_api_delete_fires_the_hooks(nb):
    [site] = sites("to-delete")
    assert nb.api("DELETE", f"/api/dcim/sites/{site.pk}/").status_code == 204
    assert wait_for(lambda: "deleted site to-delete" in nb.log())


def test_an_api_bulk_delete_fires_the_hooks_for_each_object(nb):
    objects = sites("gone-a", "gone-b")
    answer = nb.api("DELETE", "/api/dcim/sites/", json=[{"id": o.pk} for o in objects])
    assert answer.status_code == 204, answer.text
    assert wait_for(lambda: "deleted site gone-a" in (t := nb.log()) and "deleted site gone-b" in t)
    assert not site_exists("gone-a") and not site_exists("gone-b")


def test_a_management_command_loads_the_hooks(nb):
    done = nb.manage("shell", "-c", "from dcim.models import Site; Site.objects.create(name='gamma', slug='gamma')")
    assert done.returncode == 0, done.stderr
    assert "saved site gamma created=True" in nb.log()
    refused = nb.manage("shell", "-c", "from dcim.models import Site; Site.objects.create(name='forbidden-cli', "
                                       "slug='forbidden-cli')")
    assert refused.returncode != 0 and "Sites may not be named forbidden-cli" in refused.stderr
    assert not site_exists("forbidden-cli")


def test_an_api_bulk_edit_sends_one_pair_around_the_saves(nb):
    objects = sites("bulk-a", "bulk-b", "bulk-c")
    pks = sorted(o.pk for o in objects)
    answer = nb.api("PATCH", "/api/dcim/sites/", json=[{"id": pk, "description": "edited"} for pk in pks])
    assert answer.status_code == 200, answer.text
    text = wait_for(lambda: (t := nb.log()) and "post_bulk_edit" in t and t)
    assert text.count(f"pre_bulk_edit dcim.Site pks={pks} changes=['description']") == 1
    assert text.count(f"post_bulk_edit dcim.Site pks={pks}") == 1
    pre, post = text.index("pre_bulk_edit"), text.index("post_bulk_edit")
    assert all(pre < text.index(f"saved site {name} created=False") < post for name in ("bulk-a", "bulk-b", "bulk-c"))


def test_a_vetoed_api_bulk_edit_is_a_400_and_writes_nothing(nb):
    from dcim.models import Site

    objects = sites("veto-a", "veto-b")
    answer = nb.api("PATCH", "/api/dcim/sites/", json=[{"id": o.pk, "description": "veto"} for o in objects])
    assert answer.status_code == 400
    assert answer.json() == {"detail": "bulk edit vetoed by userscript"}
    assert set(Site.objects.filter(pk__in=[o.pk for o in objects]).values_list("description", flat=True)) == {""}


def test_a_ui_bulk_edit_sends_one_pair_and_a_veto_is_a_form_error(nb):
    from dcim.models import Site

    objects = sites("ui-bulk-a", "ui-bulk-b")
    pks = sorted(o.pk for o in objects)
    session = nb.session()
    page = session.get(f"{nb.url}/dcim/sites/")
    headers = {"Referer": f"{nb.url}/dcim/sites/"}
    data = {"pk": pks, "_apply": "1", "csrfmiddlewaretoken": csrf(page.text)}
    refused = session.post(f"{nb.url}/dcim/sites/edit/", data={**data, "description": "veto"}, headers=headers,
                           allow_redirects=False)
    assert refused.status_code == 200 and "bulk edit vetoed by userscript" in refused.text
    assert set(Site.objects.filter(pk__in=pks).values_list("description", flat=True)) == {""}
    done = session.post(f"{nb.url}/dcim/sites/edit/", data={**data, "description": "from the ui"}, headers=headers,
                        allow_redirects=False)
    assert done.status_code == 302, done.text[-2000:]
    assert set(Site.objects.filter(pk__in=pks).values_list("description", flat=True)) == {"from the ui"}
    text = wait_for(lambda: (t := nb.log()) and f"post_bulk_edit dcim.Site pks={pks}" in t and t)
    assert len(re.findall(rf"pre_bulk_edit dcim.Site pks={re.escape(str(pks))} changes=\['description'\]", text)) == 1


def test_request_signals_fire_through_the_plugin_middleware(nb):
    assert nb.api("GET", "/api/dcim/regions/").status_code == 200
    assert wait_for(lambda: "post_request /api/dcim/regions/ 200" in nb.log())
    refused = nb.api("GET", "/api/dcim/regions/", headers={"X-Userscripts-Refuse": "1"})
    assert refused.status_code == 403
    assert "refused by the X-Userscripts-Refuse header" in refused.text


def test_a_background_bulk_edit_in_rqworker_sends_the_pair(nb):
    import subprocess

    from core.models import Job

    from dcim.models import Site

    objects = sites("rq-a", "rq-b")
    pks = sorted(o.pk for o in objects)
    worker = subprocess.Popen([*nb.manage_command, "rqworker", "high", "default", "low"], env=nb.env,
                              cwd=nb.env["NETBOX_ROOT"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        session = nb.session()
        page = session.get(f"{nb.url}/dcim/sites/")
        answer = session.post(f"{nb.url}/dcim/sites/edit/", data={
            "pk": pks, "_apply": "1", "description": "in the background", "background_job": "on",
            "csrfmiddlewaretoken": csrf(page.text),
        }, headers={"Referer": f"{nb.url}/dcim/sites/"}, allow_redirects=False)
        assert answer.status_code == 302, answer.text[-2000:]
        assert wait_for(lambda: set(Site.objects.filter(pk__in=pks).values_list("description", flat=True))
                        == {"in the background"}, timeout=120), Job.objects.values_list("name", "status", "error")
        text = wait_for(lambda: (t := nb.log()) and f"post_bulk_edit dcim.Site pks={pks}" in t and t)
        assert text.count(f"pre_bulk_edit dcim.Site pks={pks} changes=['description']") == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def fragile_row(session, nb):
    page = session.get(f"{nb.url}/plugins/userscripts/").text
    start = page.index('id="module-fragile"')
    return html.unescape(page[start:page.index("</tr>", start)])


def test_a_failed_receiver_is_a_warning_to_who_saved_and_a_badge_until_a_call_succeeds(nb):
    session = nb.session()
    form = session.get(f"{nb.url}/dcim/sites/add/")
    answer = session.post(f"{nb.url}/dcim/sites/add/", data={
        "name": "broken-ui", "slug": "broken-ui", "status": "active", "csrfmiddlewaretoken": csrf(form.text),
    }, headers={"Referer": f"{nb.url}/dcim/sites/add/"})
    assert answer.status_code == 200 and site_exists("broken-ui")  # the save succeeded
    page = html.unescape(answer.text)
    assert "fragile.py: fails_on_broken failed on post_save of dcim.Site: ValueError: broken-ui is broken" in page
    assert "receiver failed" in fragile_row(session, nb)
    assert "ValueError: broken-ui is broken" in fragile_row(session, nb)
    assert nb.api("POST", "/api/dcim/sites/", json={"name": "fine", "slug": "fine"}).status_code == 201
    assert "receiver failed" not in fragile_row(session, nb)  # a call succeeded


def test_an_api_save_whose_receiver_failed_answers_as_usual(nb):
    answer = nb.api("POST", "/api/dcim/sites/", json={"name": "broken-api", "slug": "broken-api"})
    assert answer.status_code == 201 and answer.json()["name"] == "broken-api"
    assert wait_for(lambda: "ValueError: broken-api is broken" in nb.log())
