"""Browser tests inside the real NetBox: Playwright drives Debian's Chromium against the module's NetBox server.

A user logs in through NetBox's login page, opens the plugin page (title, breadcrumbs, the
log tab in NetBox's colours), fills a userscript's script form (NetBox's schedule fields
present), reads its result (the log table, the output), opens the event-rule form (the
action "Userscript" offered) and saves a site whose receiver fails (NetBox's warning toast
naming the userscript, the save kept).

Skipped without /usr/bin/chromium or the playwright package (Playwright's own browser
downloads are never used). Each page is screenshotted into ``NBTEST_SCREENSHOTS`` (default: the
module's temporary folder) and the paths printed, so CI keeps them as artefacts.
"""
import os
import re
from pathlib import Path

import pytest
from conftest import MANAGE

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests",
                allow_module_level=True)
try:
    from playwright import sync_api
except ImportError as error:
    pytest.skip(f"the playwright package is missing or broken ({error}): pip install 'playwright>=1.45'",
                allow_module_level=True)
expect = sync_api.expect
expect.set_options(timeout=20_000)  # a loaded CI machine: the log's poll, NetBox's pages

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# ``--insecure``: runserver serves NetBox's static files with DEBUG off (a page missing its scripts is sent to
# NetBox's /media-failure/ page); gunicorn behind a web server does that in production.
SERVER_COMMAND = [*MANAGE, "runserver", "--noreload", "--insecure", "127.0.0.1:{port}"]

USERSCRIPTS = {
    "browsed.py": '''
        from dcim.models import Site
        from extras.scripts import Script, StringVar
        from netbox_userscripts.signals import post_save


        def fails_on_broken(sender, instance, **kwargs):
            if instance.name.startswith("broken"):
                raise ValueError(f"{instance.name} is broken")
            logger.info("saved %s", instance.name)


        post_save.connect(fails_on_broken, sender=Site)


        def on_event(**kwargs):
            logger.info("event")


        class MakeSite(Script):
            class Meta:
                name = "Make a site"
                description = "Creates one site"

            site_name = StringVar(min_length=3)

            def run(self, data, commit):
                site = Site.objects.create(name=data["site_name"], slug=data["site_name"])
                self.log_success(f"made {site.name}", site)
                self.log_warning("a warning, for the colours")
                return f"done {site.name}"
    ''',
}


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the module."""
    # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse ORM calls here.
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


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    """``take(page, name)``: a full-page screenshot into ``NBTEST_SCREENSHOTS`` (or a temporary folder), printed."""
    folder = Path(os.environ.get("NBTEST_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def take(page, name):
        path = folder / f"netbox-{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        print(f"screenshot: {path}")
        return path

    yield take
    print("browser screenshots:", *taken, sep="\n  ")


@pytest.fixture(scope="module")
def page(nb, browser):
    """A page logged in as the admin through NetBox's login form."""
    context = browser.new_context(base_url=nb.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin-password")
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    yield page
    context.close()


def test_the_plugin_page(nb, page, screenshots):
    assert nb.api("POST", "/api/dcim/sites/", json={"name": "seen", "slug": "seen"}).status_code == 201  # a log line
    page.goto("/plugins/userscripts/")
    expect(page.locator("h1.page-title")).to_have_text("Userscripts")
    expect(page.locator("ol.breadcrumb")).to_contain_text("Userscripts")
    expect(page.locator("#module-browsed")).to_contain_text("loaded")
    screenshots(page, "plugin-page")
    page.goto("/plugins/userscripts/?script=browsed&level=INFO")
    expect(page.locator("#tab-log")).to_be_visible()  # a filtered log opens on its tab
    expect(page.locator("#log tbody tr", has_text="saved seen")).to_be_visible()
    expect(page.locator("#log tr.log-info .badge").first).to_have_class("badge text-bg-blue")
    screenshots(page, "plugin-log")


def test_the_script_form_and_its_result(page, screenshots):
    page.goto("/plugins/userscripts/scripts/browsed.MakeSite/")
    expect(page.locator("[name=site_name]")).to_be_visible()
    expect(page.locator("[name=_schedule_at]")).to_have_count(1)  # NetBox's "Schedule at"
    page.fill("[name=site_name]", "from-browser")
    page.check("input[type=checkbox][name=_commit]")  # NetBox puts a hidden "" beside the checkbox
    screenshots(page, "script-form")
    page.click("button[name=_run]")
    page.wait_for_url("**/plugins/userscripts/results/**")
    log = page.locator("#result-log")
    expect(log).to_contain_text("made from-browser")
    expect(log.locator("label.badge", has_text="Success")).to_have_class("badge text-bg-green")
    expect(log.locator("label.badge", has_text="Warning")).to_have_class("badge text-bg-yellow")
    expect(log.locator("a", has_text="from-browser")).to_have_attribute("href", re.compile(r"^/dcim/sites/\d+/$"))
    expect(page.locator("#userscript_output")).to_have_text("done from-browser")
    screenshots(page, "script-result")


def test_the_event_rule_form_offers_the_userscript_action(page, screenshots):
    page.goto("/extras/event-rules/add/")
    expect(page.locator("#id_action_type option[value='userscripts.call']")).to_have_text("Userscript")
    screenshots(page, "event-rule-form")


def test_a_failing_hook_is_a_warning_after_the_save(page, screenshots):
    page.goto("/dcim/sites/add/")
    page.fill("#id_name", "broken-browser")
    page.fill("#id_slug", "broken-browser")
    page.click("button[name=_create]")
    toast = page.locator("#django-messages")
    expect(toast).to_contain_text("fails_on_broken failed on post_save of dcim.Site")
    expect(page.locator("h1.page-title")).to_contain_text("broken-browser")  # the save itself succeeded
    screenshots(page, "failing-hook-warning")
