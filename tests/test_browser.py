"""Browser tests: Playwright drives Debian's Chromium against a live test server.

A user logs in through /login/, runs the "New Branch" job from its form (the switch-model
select narrows to the chosen manufacturer), reads the result page, watches the live log
tail of /userscripts/ pick up a device saved in the admin, and sees a ``<script>`` in a
log message shown as text, never run. Home, userscripts, jobs, a job's form, a result and
the admin share one header (the user, log out, the links between them) and are
screenshotted one after the other.

Skipped without /usr/bin/chromium (``apt-get install chromium``) or the playwright
package; Playwright's own browser downloads are never used. Each page is screenshotted
into the test's ``tmp_path``; the paths are printed, so a failing test shows them.
"""
import os
import re
from pathlib import Path

import pytest

from netbox_userscripts.loading.registry import registry

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests",
                allow_module_level=True)
try:
    from playwright import sync_api
except ImportError as error:
    pytest.skip(f"the playwright package is missing or broken ({error}): pip install --group test",
                allow_module_level=True)
dcim = pytest.importorskip("dcim.models")
expect = sync_api.expect

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHIPPED = Path(__file__).resolve().parent.parent / "userscripts"
PAYLOAD = "<script>window.__pwned = 1</script>"

WATCH = """
from django.dispatch import receiver
from dcim.models import Device
from netbox_userscripts.signals import post_save

@receiver(post_save, sender=Device)
def device_saved(sender, instance, created, **kwargs):
    logger.info("device %s %s", instance, "created" if created else "edited")
"""

LEVELS = f"""
from netbox_userscripts.jobs import *

name = "Browser checks"
PAYLOAD = {PAYLOAD!r}

class Levels(Job):
    class Meta:
        name = "Levels"

    def run(self, data, commit):
        self.log_info("plain info")
        self.log_warning("raw html " + PAYLOAD)
        self.log_success("as code: `" + PAYLOAD + "`")
        return "output " + PAYLOAD

    def test_checks(self):
        self.log_failure("a check failed")

    def post_run(self):
        self.log_debug("cleaned up")
"""

# The colours of the engine pages' stylesheet (netbox_userscripts/static/netbox_userscripts/pages.css).
GREEN, BLUE, AMBER, RED, GREY = ("rgb(26, 127, 55)", "rgb(9, 105, 218)", "rgb(154, 103, 0)",
                                 "rgb(180, 35, 24)", "rgb(102, 102, 102)")


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the module, with a fresh temporary profile."""
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes
    # Django refuse ORM calls here (fixtures, the flush between tests) as "async".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Screenshots:
    """Numbered full-page screenshots in one folder; each path is printed as it is taken."""

    def __init__(self, folder):
        self.folder = folder
        self.paths = []

    def take(self, page, name):
        path = self.folder / f"{len(self.paths) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.paths.append(path)
        print(f"screenshot: {path}")
        return path


@pytest.fixture
def screenshots(tmp_path):
    folder = tmp_path / "screenshots"
    folder.mkdir()
    return Screenshots(folder)


@pytest.fixture
def context(request, browser, live_server, screenshots):
    """A browser context on the live server; a failing test gets a last screenshot of every page."""
    failed_before = request.session.testsfailed
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    if request.session.testsfailed > failed_before:
        for i, page in enumerate(ctx.pages):
            screenshots.take(page, f"failure-page{i}")
        print("browser screenshots kept:", *screenshots.paths, sep="\n  ")
    ctx.close()


@pytest.fixture
def catalog(transactional_db):
    """Two manufacturers with a switch model each, a site and a device to edit in the admin."""
    cisco = dcim.Manufacturer.objects.create(name="Cisco", slug="cisco")
    juniper = dcim.Manufacturer.objects.create(name="Juniper", slug="juniper")
    c9200 = dcim.DeviceType.objects.create(manufacturer=cisco, model="C9200-48P", slug="c9200-48p")
    dcim.DeviceType.objects.create(manufacturer=juniper, model="EX2300-48P", slug="ex2300-48p")
    site = dcim.Site.objects.create(name="Amsterdam 1", slug="ams1")
    role = dcim.DeviceRole.objects.create(name="Core", slug="core")
    device = dcim.Device.objects.create(name="edge-sw-01", site=site, device_type=c9200, role=role)
    return {"device": device}


@pytest.fixture
def scripts(userscripts, transactional_db):
    """The shipped New Branch job, a post_save logger on devices and a job logging every level."""
    userscripts.write("new_branch.py", (SHIPPED / "new_branch.py").read_text())
    userscripts.write("watch.py", WATCH)
    userscripts.write("levels.py", LEVELS)
    userscripts.load()
    for name in ("new_branch", "watch", "levels"):
        assert registry.get(name).loaded, registry.get(name).traceback
    return userscripts


@pytest.fixture
def admin_user(django_user_model, transactional_db):
    return django_user_model.objects.create_superuser("admin", password="admin-pass")


def log_in(page, screenshots, path):
    """Through the project's login form, then on to ``path``."""
    page.goto(f"/login/?next={path}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin-pass")
    screenshots.take(page, "login")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def color(locator, prop="color"):
    return locator.evaluate(f"(el) => getComputedStyle(el).getPropertyValue({prop!r})")


def test_login_form(context, admin_user, scripts, screenshots):
    page = context.new_page()
    page.goto("/jobs/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/jobs/$"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("didn't match")
    screenshots.take(page, "login-refused")
    page.fill("#id_password", "admin-pass")
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/jobs/$"))
    expect(page.locator("body")).to_contain_text("New Branch")
    screenshots.take(page, "job-list")


def test_new_branch_from_its_form(context, admin_user, catalog, scripts, screenshots):
    page = context.new_page()
    log_in(page, screenshots, "/jobs/local/new_branch/NewBranch/")
    models = page.locator("#id_switch_model option")
    expect(models).to_have_text(["---------", "C9200-48P", "EX2300-48P"])
    page.select_option("#id_manufacturer", label="Juniper")
    expect(models).to_have_text(["---------", "EX2300-48P"])
    page.select_option("#id_manufacturer", label="Cisco")
    expect(models).to_have_text(["---------", "C9200-48P"])
    page.fill("#id_site_name", "Branch 7")
    page.fill("#id_switch_count", "2")
    page.select_option("#id_switch_model", label="C9200-48P")
    page.check("input[name=_commit]")
    screenshots.take(page, "new-branch-form")
    page.click("#job-form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/jobs/results/\d+/$"))
    screenshots.take(page, "new-branch-result")
    status = page.locator("#status")
    expect(status).to_have_text("Completed")
    expect(status).to_have_class(re.compile(r"\bstatus-completed\b"))
    assert color(status) == GREEN and color(status, "background-color") == "rgb(218, 251, 225)"
    expect(page.locator("h3[id^=group-]")).to_have_text(["run"])
    rows = page.locator("#group-run + table.log tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.locator(".message")).to_have_text(
        ["Created new site: Branch 7", "Created new switch: branch-7-switch1", "Created new switch: branch-7-switch2"])
    levels = rows.locator(".lvl")
    expect(levels).to_have_class([re.compile(r"\blvl-success\b")] * 3)
    assert {color(levels.nth(i)) for i in range(3)} == {GREEN}
    expect(rows.first.locator("a")).to_have_attribute("href", re.compile(r"^/admin/dcim/site/\d+/change/$"))
    expect(page.locator("#output")).to_have_text(
        "name,make,model\nbranch-7-switch1,Cisco,C9200-48P\nbranch-7-switch2,Cisco,C9200-48P")


def test_live_tail_shows_an_admin_save(context, admin_user, scripts, catalog, screenshots):
    tail_page = context.new_page()
    log_in(tail_page, screenshots, "/userscripts/")
    expect(tail_page.locator("#module-watch")).to_contain_text("post_save from dcim.Device")
    tail = tail_page.locator("#log")
    # The first poll has answered (and set the position) once the tail shows the old lines.
    expect(tail).to_contain_text("device edge-sw-01 created")
    expect(tail).not_to_contain_text("device edge-sw-01 edited")
    screenshots.take(tail_page, "userscripts-before")

    admin = context.new_page()
    admin.goto(f"/admin/dcim/device/{catalog['device'].pk}/change/")
    expect(admin.locator("#id_name")).to_have_value("edge-sw-01")
    screenshots.take(admin, "admin-device-change")
    admin.click("input[name=_save]")
    expect(admin).to_have_url(re.compile(r"/admin/dcim/device/$"))
    expect(admin.locator(".messagelist .success")).to_be_visible()
    screenshots.take(admin, "admin-device-saved")

    line = tail.locator("div", has_text="watch.py: device edge-sw-01 edited")
    expect(line).to_have_count(1, timeout=5_000)
    expect(line).to_have_class("lvl-INFO")
    assert color(line) == "rgb(201, 209, 217)"
    screenshots.take(tail_page, "userscripts-after")


FORGED = "2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged"


def test_a_forged_record_in_a_name_is_an_indented_line_of_its_record(context, admin_user, scripts, catalog,
                                                                   screenshots):
    """Issue 27.5: the live tail shows a name's second line indented inside the record of watch.py."""
    tail_page = context.new_page()
    log_in(tail_page, screenshots, "/userscripts/")
    tail = tail_page.locator("#log")
    expect(tail).to_contain_text("device edge-sw-01 created")  # the first poll has answered
    device = catalog["device"]
    device.name = f"x\n{FORGED}"
    device.save()
    line = tail.locator("div", has_text="watch.py: device x")
    expect(line).to_have_count(1, timeout=5_000)
    assert line.inner_text().endswith(f"watch.py: device x\n  {FORGED} edited")
    screenshots.take(tail_page, "userscripts-forged-name")


def test_script_tags_in_messages_are_text(context, admin_user, scripts, screenshots):
    tail_page = context.new_page()
    log_in(tail_page, screenshots, "/userscripts/")
    expect(tail_page.locator("#module-levels")).to_contain_text("Levels")
    tail = tail_page.locator("#log")
    expect(tail).to_have_attribute("aria-live", "polite")
    tail_page.wait_for_load_state("networkidle")  # the first poll has answered

    page = context.new_page()
    page.goto("/jobs/local/levels/Levels/")
    page.click("#job-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/jobs/results/\d+/$"))
    screenshots.take(page, "levels-result")

    # Grouped by method, in the order they ran, each level in its colour.
    expect(page.locator("h3[id^=group-]")).to_have_text(["run", "test_checks", "post_run"])
    expect(page.locator("#status")).to_have_text("Failed")
    levels = page.locator("table.log .lvl")
    expect(levels).to_have_text([re.compile(w, re.I) for w in ("info", "warning", "success", "failure", "debug")])
    assert [color(levels.nth(i)) for i in range(5)] == [BLUE, AMBER, GREEN, RED, GREY]
    expect(page.locator("table.log tr.row-failure")).to_have_count(1)

    # Raw HTML is shown as text, as is a code span's; nothing runs.
    messages = page.locator("table.log .message")
    expect(messages.nth(1)).to_have_text(f"raw html {PAYLOAD}")
    expect(messages.nth(2)).to_have_text(f"as code: {PAYLOAD}")
    expect(page.locator("#output")).to_have_text(f"output {PAYLOAD}")
    expect(page.locator("table.log script, #output script")).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"

    # The live tail receives the same records and shows them exactly as written.
    line = tail.locator("div", has_text=f"raw html {PAYLOAD}")
    expect(line).to_have_count(1, timeout=5_000)
    expect(line).to_have_class("lvl-WARNING")
    expect(tail.locator("script")).to_have_count(0)
    assert tail_page.evaluate("typeof window.__pwned") == "undefined"
    screenshots.take(tail_page, "userscripts-script-tag")


def test_one_look_from_home_to_a_result_and_out(context, admin_user, scripts, catalog, screenshots):
    scripts.write("broken.py", "raise RuntimeError('broken on purpose')\n")
    scripts.load()
    page = context.new_page()
    log_in(page, screenshots, "/")
    expect(page.locator("#counts")).to_contain_text("Sites")
    expect(page.locator("#counts li", has_text="Devices").locator(".count")).to_have_text("1")
    expect(page.locator("#home-userscripts caption")).to_have_text(re.compile(r"3 loaded, 1 failed", re.I))
    expect(page.locator("#home-userscripts")).to_contain_text("broken on purpose")
    expect(page.locator("#home-log")).to_contain_text("watch.py: device edge-sw-01 created")
    expect(page.locator("#home-results")).to_contain_text("No results yet")
    screenshots.take(page, "home")
    header = color(page.locator("#header"), "background-color")

    visits = [("Userscripts", r"/userscripts/$", "Userscripts"), ("Jobs", r"/jobs/$", "Jobs"),
              ("Job results", r"/jobs/results/$", "Results")]
    for link, url, crumb in visits:
        page.locator("#site-nav").get_by_role("link", name=link, exact=True).click()
        expect(page).to_have_url(re.compile(url))
        expect(page.locator("#site-nav a[aria-current=page]")).to_have_text(link)
        expect(page.locator("#user-tools")).to_contain_text("admin")
        expect(page.locator(".breadcrumbs")).to_have_text(re.compile(rf"^\s*Home\s*›.*{crumb}\s*$"))
        assert color(page.locator("#header"), "background-color") == header
        screenshots.take(page, link.lower().replace(" ", "-"))
        if link == "Userscripts":
            expect(page.locator("#module-broken .state-error")).to_have_text("error")
            expect(page.locator("#log")).to_contain_text("device edge-sw-01 created")

    page.locator("#site-nav").get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_role("link", name="New Branch").click()
    expect(page.locator(".breadcrumbs")).to_have_text(re.compile(r"Home\s*›\s*Jobs\s*›.*New Branch"))
    page.fill("#id_site_name", "Branch 9")
    page.fill("#id_switch_count", "1")
    page.select_option("#id_switch_model", label="EX2300-48P")
    screenshots.take(page, "job-form")
    page.click("#job-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/jobs/results/\d+/$"))
    expect(page.locator("#status")).to_have_text("Completed")
    assert color(page.locator("#header"), "background-color") == header
    screenshots.take(page, "job-result")

    page.locator(".breadcrumbs").get_by_role("link", name="Home").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("#home-results")).to_contain_text("New Branch")
    expect(page.locator("#home-results .status")).to_have_text("Completed")
    screenshots.take(page, "home-after-run")
    page.emulate_media(color_scheme="dark")  # the admin's theme follows the browser's
    expect(page.locator("#home-results .status")).to_be_visible()
    screenshots.take(page, "home-dark")
    page.emulate_media(color_scheme="light")

    page.locator("#site-nav").get_by_role("link", name="Admin", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert color(page.locator("#header"), "background-color") == header
    screenshots.take(page, "admin-index")
    page.locator("#site-name a").click()
    expect(page).to_have_url(re.compile(r"/$"))

    page.locator("#logout-form button").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("#login-form")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    screenshots.take(page, "logged-out")
