"""GET /userscript/?script=NAME: arguments, results, errors and who may call."""
import pytest
from django.contrib.auth.models import Permission

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
