"""``/userscript/?script=NAME`` at NetBox's root and under the plugin: NetBox's tokens, sessions and permissions."""
import os

import pytest
import requests

USERSCRIPTS = {
    "hello.py": '''
        def call(name="world", **kwargs):
            return f"hello {name}"
    ''',
}


@pytest.fixture(scope="module")
def caller(nb):
    """A user without the permission, with a v1 token; ``grant()`` gives it through an ObjectPermission."""
    from conftest import make_token
    from core.models import ObjectType
    from users.models import ObjectPermission, User

    from netbox_userscripts.models import Userscript

    user = User.objects.create_user("caller", "caller@example.com", "caller-password")
    token = make_token(user, 1)

    def grant():
        permission = ObjectPermission.objects.create(name="call userscripts", actions=["call"])
        permission.object_types.set([ObjectType.objects.get_for_model(Userscript)])
        permission.users.add(user)

    return token, grant


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_a_netbox_token_calls(nb, version):
    answer = nb.api("GET", "/userscript/?script=hello&name=token", token=version)
    assert answer.status_code == 200, answer.text
    assert answer.text == "hello token"
    assert answer.headers["Content-Type"].startswith("text/plain")


def test_the_call_is_also_under_the_plugin(nb):
    answer = nb.api("GET", "/plugins/userscripts/call/?script=hello&name=plugin")
    assert (answer.status_code, answer.text) == (200, "hello plugin")


def test_a_session_calls(nb):
    assert nb.session().get(f"{nb.url}/userscript/?script=hello").text == "hello world"


def test_no_or_a_bad_login_is_a_401(nb):
    assert requests.get(f"{nb.url}/userscript/?script=hello", timeout=30).status_code == 401
    bad = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": "Token " + "0" * 40}, timeout=30)
    assert bad.status_code == 401 and "Invalid v1 token" in bad.text


def test_an_unknown_script_is_a_404(nb):
    assert nb.api("GET", "/userscript/?script=nope").status_code == 404


def test_the_permission_comes_from_netboxs_object_permissions(nb, caller):
    token, grant = caller
    refused = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": token}, timeout=30)
    assert refused.status_code == 403
    assert "netbox_userscripts.call_userscript" in refused.text
    grant()
    allowed = requests.get(f"{nb.url}/userscript/?script=hello", headers={"Authorization": token}, timeout=30)
    assert (allowed.status_code, allowed.text) == (200, "hello world")


def test_netbox_runs_as_it_is_installed(nb):
    """The wheel's ``netbox`` command, or (the source pass, NETBOX_SOURCE) a source tree's manage.py."""
    from django.conf import settings

    source = os.environ.get("NBTEST_MANAGE")
    assert settings.NETBOX_INSTALL_MODE == ("checkout" if source else "wheel")
    started = [nb.manage_command[0], source] if source else [nb.manage_command[0], "runserver"]
    assert nb.server.process.args[:2] == started
    assert nb.api("GET", "/userscript/?script=hello").text == "hello world"
