"""The plugin's page and API in NetBox: the menu entry, ``/plugins/userscripts/``, ``/api/plugins/userscripts/``."""
import requests
from conftest import wait_for

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
