"""The plugin's page and API in NetBox: the menu entry, ``/plugins/userscripts/``, ``/api/plugins/userscripts/``."""
import requests
from conftest import make_token, running_rqworker, wait_for

USERSCRIPTS = {
    "shown.py": '''
        from dcim.models import Site
        from netbox_userscripts.signals import post_save


        def noted(sender, instance, **kwargs):
            logger.info("noted %s", instance.name)


        post_save.connect(noted, sender=Site)


        def call(**kwargs):
            logger.warning("called from the page test")
            return "ok"
    ''',
    "broken.py": "raise RuntimeError('this module cannot load')\n",
}


def test_the_menu_has_an_entry(nb):
    home = nb.session().get(f"{nb.url}/")
    assert home.status_code == 200
    assert 'href="/plugins/userscripts/"' in home.text


def test_the_page_is_on_netboxs_layout(nb):
    page = nb.session().get(f"{nb.url}/plugins/userscripts/")
    assert page.status_code == 200
    assert 'id="module-shown"' in page.text and 'id="module-broken"' in page.text
    assert "noted: post_save from dcim.Site" in page.text
    assert "this module cannot load" in page.text
    assert 'class="page"' in page.text or "navbar" in page.text  # NetBox's base/layout.html around it
    assert "/api/plugins/userscripts/log/" in page.text


def test_the_page_needs_a_login(nb):
    answer = requests.get(f"{nb.url}/plugins/userscripts/", timeout=30, allow_redirects=False)
    assert answer.status_code == 302 and "/login/" in answer.headers["Location"]


def test_the_api_lists_the_modules_and_tails_the_log(nb):
    modules = nb.api("GET", "/api/plugins/userscripts/").json()
    assert {m["name"]: m["state"] for m in modules["results"]} == {"broken": "error", "shown": "loaded"}
    assert nb.api("GET", "/userscript/?script=shown").text == "ok"
    records = wait_for(lambda: nb.api("GET", "/api/plugins/userscripts/log/?script=shown").json()["records"])
    assert any(r["message"] == "called from the page test" and r["level"] == "WARNING" for r in records)
    bad = nb.api("GET", "/api/plugins/userscripts/log/?n=many")
    assert bad.status_code == 400 and "n" in bad.json()


def test_a_new_file_is_loaded_by_the_running_server(nb):
    (nb.folder / "added.py").write_text("def call(**kwargs):\n    return 'added'\n")
    assert wait_for(lambda: nb.api("GET", "/userscript/?script=added").text == "added")
    (nb.folder / "added.py").write_text("def call(**kwargs):\n    return 'changed'\n")
    assert wait_for(lambda: nb.api("GET", "/userscript/?script=added").text == "changed")


FORGED = "2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged"


def test_a_name_with_a_forged_record_stays_text_of_the_record_that_logged_it(nb):
    """Issue 27.5: a site named with a newline and a header is one record of ``shown``, in the file, the log API
    and ``userscripts_log``; a ``\\r`` is shown escaped."""
    for name, slug in ((f"x\n{FORGED}", "forged-newline"), (f"y\r{FORGED}", "forged-return")):
        assert nb.api("POST", "/api/dcim/sites/", json={"name": name, "slug": slug}).status_code == 201
    records = wait_for(lambda: [r for r in nb.api("GET", "/api/plugins/userscripts/log/?n=500").json()["records"]
                                if "forged" in r["message"] + r["traceback"]])
    assert [(r["script"], r["message"], r["traceback"]) for r in records] == [
        ("shown", "noted x", FORGED), ("shown", f"noted y\\r{FORGED}", "")]
    assert nb.api("GET", "/api/plugins/userscripts/log/?script=protect_active").json()["records"] == []
    assert f"\n  {FORGED}\n" in nb.log() and "\r" not in nb.log()
    assert all(not line.startswith(FORGED) for line in nb.log().splitlines())
    command = nb.manage("userscripts_log", "--script", "protect_active", "-n", "100")
    assert command.returncode == 0 and command.stdout == "", command.stderr
    command = nb.manage("userscripts_log", "--script", "shown", "-n", "100")
    assert f"noted x\n  {FORGED}\n" in command.stdout and f"noted y\\r{FORGED}\n" in command.stdout


def test_the_page_has_netboxs_title_breadcrumbs_and_tabs(nb):
    """Issue 30.5: as NetBox's own pages: a title, breadcrumbs, tabs for modules, log, tasks, processes."""
    page = nb.session().get(f"{nb.url}/plugins/userscripts/").text
    assert '<h1 class="page-title">Userscripts</h1>' in page
    assert 'class="breadcrumb"' in page and '<li class="breadcrumb-item">Plugins</li>' in page
    for tab in ("tab-modules", "tab-log", "tab-tasks", "tab-costs", "tab-processes"):
        assert f'href="#{tab}"' in page and f'id="{tab}"' in page
    for table in ('id="schedules"', 'id="task-runs"', 'id="processes"', 'id="log"', 'id="hook-costs"'):
        assert table in page
    assert "No scheduled tasks" in page and "No task runs yet." in page


def test_the_log_filters_are_query_parameters_and_bad_ones_are_named(nb):
    session = nb.session()
    page = session.get(f"{nb.url}/plugins/userscripts/?script=shown&level=warning").text
    assert '<option value="shown" selected>' in page and "<option selected>WARNING</option>" in page
    assert 'const script = "shown", level = "WARNING"' in page  # what the live tail asks the log API for
    assert "<li class=\"breadcrumb-item\">shown.py</li>" in page
    bad = session.get(f"{nb.url}/plugins/userscripts/?script=nothere&level=loud")
    assert bad.status_code == 200
    assert "level: &#x27;LOUD&#x27; is not a log level" in bad.text and "no userscript &#x27;nothere&#x27;" in bad.text


def test_a_rule_that_cannot_call_is_flagged_on_the_page_and_its_modules_row(nb):
    """Issue 30.5: a rule whose function is missing, and one whose module was deleted, are named on the page."""
    from core.models import ObjectType

    from dcim.models import Site
    from extras.models import EventRule
    from netbox_userscripts.models import Userscript

    (nb.folder / "gone.py").write_text("def on_event(**kwargs):\n    pass\n")
    gone = wait_for(lambda: Userscript.objects.filter(name="gone", state="loaded").first(), timeout=30)
    shown = wait_for(lambda: Userscript.objects.filter(name="shown").first(), timeout=30)
    rules = (("to a missing function", shown, {"function": "nope"}), ("to a gone module", gone, None))
    for name, module, data in rules:
        rule = EventRule.objects.create(name=name, event_types=["object_created"], action_type="userscripts.call",
                                        action_object=module, action_data=data)
        rule.object_types.set([ObjectType.objects.get_for_model(Site)])
    (nb.folder / "gone.py").unlink()
    assert wait_for(lambda: Userscript.objects.filter(name="gone", state="deleted").exists(), timeout=30)
    page = nb.session().get(f"{nb.url}/plugins/userscripts/").text
    warning = page.split('id="broken-rules"')[1].split("</div>")[0]
    assert "2 event rules cannot call" in warning
    assert "to a missing function</a> (shown.py, nope()): The userscript &#x27;shown&#x27; has no function" in warning
    assert "to a gone module</a> (gone.py, on_event()): No userscript &#x27;gone&#x27; is loaded." in warning
    shown_row = page.split('id="module-shown"')[1].split("</tr>")[0]
    assert "to a missing function</a> <span class=\"badge text-bg-orange rule-problem\"" in shown_row


def test_netboxs_plugin_list_shows_the_author(nb):
    page = nb.session().get(f"{nb.url}/core/plugins/netbox_userscripts/")
    assert page.status_code == 200 and "netbox-userscripts maintainers" in page.text


def test_hook_costs_are_on_the_page_and_the_api_for_the_modules_a_user_may_see(nb):
    """Issue 31.3: a receiver's and a call's costs, summed by the server's heartbeat into the table, on the Hook
    costs tab and ``/api/plugins/userscripts/stats/``; a user whose permission names another module sees none."""
    from core.models import ObjectType
    from users.models import ObjectPermission, User

    from netbox_userscripts.models import Userscript

    assert nb.api("POST", "/api/dcim/sites/", json={"name": "costly", "slug": "costly"}).status_code == 201
    assert nb.api("GET", "/userscript/?script=shown").text == "ok"

    def costs(authorization=None):
        who = {"token": None, "headers": {"Authorization": authorization}} if authorization else {}
        answer = nb.api("GET", "/api/plugins/userscripts/stats/", **who)
        assert answer.status_code == 200, answer.text
        return {(row["kind"], row["name"]): row for row in answer.json()["results"]}

    counted = wait_for(lambda: ("receiver", "noted") in costs() and ("call", "call") in costs() and costs())
    noted = counted["receiver", "noted"]
    assert (noted["module"], noted["signal"], noted["sender"], noted["errors"]) == ("shown", "post_save", "dcim.Site",
                                                                                   0)
    assert noted["calls"] >= 1 and 0 <= noted["p50"] <= noted["p99"] <= noted["max"] < 5
    page = nb.session().get(f"{nb.url}/plugins/userscripts/").text
    assert "shown.noted on post_save of dcim.Site" in page and "shown.call" in page
    assert nb.api("GET", "/api/plugins/userscripts/stats/?minutes=0").status_code == 400

    other = User.objects.create_user("costs-other", "costs-other@example.com", "costs-other-password")
    permission = ObjectPermission.objects.create(name="view another module's costs", actions=["view"],
                                                 constraints={"name__in": ["broken"]})
    permission.object_types.set([ObjectType.objects.get_for_model(Userscript)])
    permission.users.add(other)
    assert costs(make_token(other, 1)) == {}


WORKED = '''
from dcim.models import Site
from netbox_userscripts.signals import post_save
from netbox_userscripts.tasks import task


def counted(sender, instance, **kwargs):
    logger.info("counted %s", instance.name)


post_save.connect(counted, sender=Site)


@task
def make_site(name):
    Site.objects.create(name=name, slug=name)


def call(**kwargs):
    make_site.enqueue(name=kwargs["name"])
    return "queued"
'''


def test_hook_costs_count_the_receivers_a_task_ran_in_rqworkers_work_horse(nb):
    """``rqworker``'s work-horse leaves with ``os._exit`` after its job: its receivers are stored at the job's end."""
    (nb.folder / "worked.py").write_text(WORKED)
    assert wait_for(lambda: nb.api("GET", "/userscript/?script=worked&name=by-worker").text == "queued")

    def counted():
        rows = nb.api("GET", "/api/plugins/userscripts/stats/").json()["results"]
        return [row for row in rows if (row["module"], row["name"]) == ("worked", "counted")]

    with running_rqworker(nb):
        row, = wait_for(lambda: counted() and counted()[0]["calls"] == 1 and counted(), timeout=60) or counted()
    assert (row["signal"], row["sender"], row["errors"]) == ("post_save", "dcim.Site", 0)
    assert "worked.py: counted by-worker" in nb.log()
