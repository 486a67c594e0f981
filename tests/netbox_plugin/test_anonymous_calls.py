"""A NetBox with ``LOGIN_REQUIRED = False`` (anonymous *reading*): only the userscripts of
``USERSCRIPTS_ANONYMOUS_CALLS`` answer anonymous calls; a logged-in caller still needs ``call``."""
import json
import subprocess

import pytest
import requests
from conftest import make_token

NETBOX_SETTINGS = {"LOGIN_REQUIRED": False}
PLUGIN_SETTINGS = {"USERSCRIPTS_ANONYMOUS_CALLS": ["open"]}
USERSCRIPTS = {
    "open.py": '''
        def call(**kwargs):
            return "open to all"
    ''',
    "make_site.py": '''
        from dcim.models import Site


        def call(name, **kwargs):
            return Site.objects.create(name=name, slug=name).slug
    ''',
}


def test_anyone_calls_a_listed_userscript(nb):
    for path in ("/userscript/", "/plugins/userscripts/call/"):
        answer = requests.get(f"{nb.url}{path}?script=open", timeout=30)
        assert (answer.status_code, answer.text) == (200, "open to all")


def test_an_anonymous_call_of_another_userscript_is_a_401_and_writes_nothing(nb):
    from dcim.models import Site

    answer = requests.get(f"{nb.url}/userscript/?script=make_site&name=anonymous", timeout=30)
    assert answer.status_code == 401 and "USERSCRIPTS_ANONYMOUS_CALLS" in answer.text, answer.text
    assert not Site.objects.filter(slug="anonymous").exists()


def test_a_logged_in_caller_still_needs_the_call_permission(nb):
    from users.models import User

    user = User.objects.create_user("reader", "reader@example.com", "reader-password")
    answer = requests.get(f"{nb.url}/userscript/?script=make_site&name=reader", timeout=30,
                          headers={"Authorization": make_token(user, 1)})
    assert answer.status_code == 403 and "netbox_userscripts.call_userscript" in answer.text, answer.text
    granted = nb.api("GET", "/userscript/?script=make_site&name=admin")
    assert (granted.status_code, granted.text) == (200, "admin")


@pytest.mark.parametrize("value,said", [
    ("open", 'PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_ANONYMOUS_CALLS"] must be of type list or tuple, '
             "got str 'open'."),
    (["open", "no/such"], 'PLUGINS_CONFIG["netbox_userscripts"]: USERSCRIPTS_ANONYMOUS_CALLS must be a list of '
                          "userscript names like ['free_ips'], got ['open', 'no/such']."),
])
def test_a_setting_that_is_no_list_of_names_stops_netbox_naming_it(nb, value, said):
    env = {**nb.env, "NBTEST_PLUGIN_SETTINGS": json.dumps({"USERSCRIPTS_ANONYMOUS_CALLS": value})}
    result = subprocess.run([*nb.manage_command, "check"], env=env, cwd=env["NETBOX_ROOT"], capture_output=True,
                            text=True, timeout=600)
    assert result.returncode != 0
    assert said in result.stderr and "Traceback" not in result.stderr, result.stderr[-2000:]
