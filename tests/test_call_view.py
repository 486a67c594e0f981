"""GET /userscript/?script=NAME: arguments, results, errors and who may call."""
import gc
import weakref

import pytest
from django.contrib.auth.models import Permission

from netbox_userscripts.loading.registry import registry

CALLS = {
    "echo.py": """
        def call(**kwargs):
            return repr(sorted(kwargs.items()))
    """,
    "number.py": """
        def call(**kwargs):
            return 42
    """,
    "passthrough.py": """
        from django.http import JsonResponse
        def call(**kwargs):
            return JsonResponse({"answer": kwargs["q"]}, status=202)
    """,
    "raises.py": """
        def call(**kwargs):
            raise ValueError("secret detail\\nsecond line")
    """,
    "nocall.py": "VALUE = 1\n",
    "broken.py": "def call(:\n",
    "saves.py": """
        from django.contrib.auth.models import Group
        from netbox_userscripts.signals import post_save
        def saved(sender, instance, **kwargs):
            logger.info("group %s saved", instance)
        post_save.connect(saved, sender=Group)
    """,
    "strict.py": """
        def call(script, host):
            return host
    """,
}


@pytest.fixture
def scripts(userscripts):
    for name, source in CALLS.items():
        userscripts.write(name, source)
    userscripts.load()
    return userscripts


@pytest.fixture
def caller(django_user_model, token_for):
    user = django_user_model.objects.create_user("caller", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="call_userscript"))
    return user


def test_arguments_single_and_repeated(scripts, admin_client):
    response = admin_client.get("/userscript/?script=echo&a=1&b=x&b=y")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == repr([("a", "1"), ("b", ["x", "y"]), ("script", "echo")])


def test_result_is_str_converted_and_responses_pass_through(scripts, admin_client):
    assert admin_client.get("/userscript/?script=number").content == b"42"
    response = admin_client.get("/userscript/?script=passthrough&q=why")
    assert response.status_code == 202 and response.json() == {"answer": "why"}


@pytest.mark.parametrize("query", [
    "script=unknown", "script=broken", "script=nocall", "script=../settings", "script=..%2Fsettings",
    "script=/etc/passwd", "script=userscripts.echo", "script=echo.py", "script=_private", "",
    "script=echo&script=number", "script=", "script=%00",
])
def test_404_with_empty_body(scripts, admin_client, query):
    response = admin_client.get(f"/userscript/?{query}")
    assert response.status_code == 404
    assert response.content == b""


def test_500_has_one_line_and_no_traceback(scripts, admin_client):
    response = admin_client.get("/userscript/?script=raises")
    assert response.status_code == 500
    body = response.content.decode()
    assert body == "Error in userscript raises: ValueError\n"
    text = scripts.log.read_text()
    assert "ERROR raises.py: call() failed for /userscript/?script=raises" in text
    assert "ValueError: secret detail" in text and "Traceback (most recent call last)" in text


def test_unexpected_arguments_are_a_400(scripts, admin_client):
    assert admin_client.get("/userscript/?script=strict&host=a").content == b"a"
    response = admin_client.get("/userscript/?script=strict&host=a&port=22")
    assert response.status_code == 400
    assert "port" in response.content.decode()


def test_only_get(scripts, admin_client):
    assert admin_client.post("/userscript/?script=echo").status_code == 405


def test_anonymous_is_refused(scripts, client):
    response = client.get("/userscript/?script=echo")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_bad_token_is_refused(scripts, client, db):
    response = client.get("/userscript/?script=echo", HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert response.status_code == 401


def test_user_without_permission_is_refused(scripts, client, django_user_model, token_for):
    user = django_user_model.objects.create_user("nobody", password="pw")
    client.force_login(user)
    assert client.get("/userscript/?script=echo").status_code == 403
    client.logout()
    response = client.get("/userscript/?script=echo", HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    assert response.status_code == 403


def test_permission_by_session_and_by_token(scripts, client, caller, token_for):
    response = client.get("/userscript/?script=number", HTTP_AUTHORIZATION=f"Token {token_for(caller)}")
    assert response.status_code == 200 and response.content == b"42"
    client.force_login(caller)
    assert client.get("/userscript/?script=number").content == b"42"


def test_login_not_required(scripts, client, settings, db):
    settings.LOGIN_REQUIRED = False
    assert client.get("/userscript/?script=number").content == b"42"


def test_hostile_queries(scripts, admin_client):
    long_value = "x" * 200_000
    response = admin_client.get(f"/userscript/?script=echo&big={long_value}")
    assert response.status_code == 200 and long_value in response.content.decode()
    response = admin_client.get("/userscript/?script=echo&%D0%BA%D0%BB%D1%8E%D1%87=%E2%9C%93&a-b=1&a-b=2&a-b=3")
    assert response.status_code == 200
    assert response.content.decode() == repr([("a-b", ["1", "2", "3"]), ("script", "echo"), ("ключ", "✓")])
    too_many = "&".join(f"k{i}=v" for i in range(10_001))
    assert admin_client.get(f"/userscript/?script=echo&{too_many}").status_code == 400
    assert admin_client.get("/userscript/?script=%ZZ&x=%ZZ").status_code == 404
    assert admin_client.get("/userscript/../admin/?script=echo").status_code in (200, 302, 404)


def test_failure_to_write_the_log_is_reported_once_and_calls_go_on(scripts, admin_client, capfd):
    from netbox_userscripts.log import central as log

    handler = log.central_log.handler
    handler._reported = False
    handler.stream = None
    # Every write now goes to /dev/full and fails with ENOSPC, as on a full disk.
    handler.do_open = lambda mode=None: open("/dev/full", "a", encoding="utf-8")
    try:
        for _ in range(5):
            response = admin_client.get("/userscript/?script=raises")  # each one logs a traceback
            assert response.status_code == 500
        assert admin_client.get("/userscript/?script=number").content == b"42"
        from django.contrib.auth.models import Group
        for i in range(3):  # a save whose receiver logs: the save still succeeds
            Group.objects.create(name=f"full-disk-{i}")
        assert Group.objects.filter(name__startswith="full-disk-").count() == 3
    finally:
        log.configure(filename=str(scripts.log))
    errors = capfd.readouterr().err
    assert errors.count("cannot write the central log") == 1


def test_a_reloaded_version_is_freed_once_served(userscripts, admin_client):
    """Serving ``call()`` keeps no old version alive (its signature is cached by the function, weakly)."""
    userscripts.load_module("versioned", "def call(who, **kwargs):\n    return 'v1 ' + who\n")
    assert admin_client.get("/userscript/", {"script": "versioned", "who": "me"}).content == b"v1 me"
    old_call = weakref.ref(registry.callable("versioned"))
    old_module = weakref.ref(registry.get("versioned").module)
    userscripts.load_module("versioned", "def call(who, where='here', **kwargs):\n    return 'v2 ' + who + where\n")
    assert admin_client.get("/userscript/", {"script": "versioned", "who": "me"}).content == b"v2 mehere"
    gc.collect()
    assert old_call() is None and old_module() is None
