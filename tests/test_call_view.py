"""GET /userscript/?script=NAME: arguments, results and errors (who may call: test_call_auth.py)."""
import gc
import json
import weakref

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

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
def admin_page(admin_user):
    """The admin's browser on this site's own pages (its requests say ``Sec-Fetch-Site: same-origin``)."""
    client = Client(headers={"Sec-Fetch-Site": "same-origin"})
    client.force_login(admin_user)
    return client


def test_arguments_single_and_repeated(scripts, admin_page):
    response = admin_page.get("/userscript/?script=echo&a=1&b=x&b=y")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == repr([("a", "1"), ("b", ["x", "y"]), ("script", "echo")])


def test_result_is_str_converted_and_responses_pass_through(scripts, admin_page):
    assert admin_page.get("/userscript/?script=number").content == b"42"
    response = admin_page.get("/userscript/?script=passthrough&q=why")
    assert response.status_code == 202 and response.json() == {"answer": "why"}


@pytest.mark.parametrize("query", [
    "script=unknown", "script=broken", "script=nocall", "script=../settings", "script=..%2Fsettings",
    "script=/etc/passwd", "script=userscripts.echo", "script=echo.py", "script=_private", "",
    "script=echo&script=number", "script=", "script=%00",
])
def test_404_with_empty_body(scripts, admin_page, query):
    response = admin_page.get(f"/userscript/?{query}")
    assert response.status_code == 404
    assert response.content == b""


def test_500_has_one_line_and_no_traceback(scripts, admin_page):
    response = admin_page.get("/userscript/?script=raises")
    assert response.status_code == 500
    body = response.content.decode()
    assert body == "Error in userscript raises: ValueError\n"
    text = scripts.log.read_text()
    assert "ERROR raises.py: call() failed for /userscript/?script=raises" in text
    assert "ValueError: secret detail" in text and "Traceback (most recent call last)" in text


def test_unexpected_arguments_are_a_400(scripts, admin_page):
    assert admin_page.get("/userscript/?script=strict&host=a").content == b"a"
    response = admin_page.get("/userscript/?script=strict&host=a&port=22")
    assert response.status_code == 400
    assert "port" in response.content.decode()


def test_post_form_fields_are_the_arguments(scripts, admin_page):
    fields = {"script": "echo", "a": "1", "b": ["x", "y"], "csrfmiddlewaretoken": "t"}  # the token is Django's
    response = admin_page.post("/userscript/", fields)
    assert response.status_code == 200
    assert response.content.decode() == repr([("a", "1"), ("b", ["x", "y"]), ("script", "echo")])
    response = admin_page.post("/userscript/?script=echo", {"a": "1"})  # the query and the body together
    assert response.content.decode() == repr([("a", "1"), ("script", "echo")])


def test_post_json_object_values_pass_as_they_are(scripts, admin_page):
    body = {"script": "echo", "n": 5, "l": [1, "x"], "o": {"k": None}, "t": True}
    response = admin_page.post("/userscript/", body, content_type="application/json")
    assert response.status_code == 200
    assert response.content.decode() == repr([("l", [1, "x"]), ("n", 5), ("o", {"k": None}), ("script", "echo"),
                                              ("t", True)])
    assert admin_page.post("/userscript/?script=number", "", content_type="application/json").content == b"42"
    assert admin_page.post("/userscript/", {"script": 5}, content_type="application/json").status_code == 404


@pytest.mark.parametrize("body, content_type, problem", [
    ("[1, 2]", "application/json", "The JSON body must be an object of keyword arguments"),
    ("5", "application/json", "got number"),
    ("{", "application/json", "The body is not JSON"),
    (b"\xff", "application/json", "The body is not JSON"),
    ("a=1", "text/plain", "The body must be a form or a JSON object (Content-Type: application/json), not text/plain"),
    ('{"a": "2"}', "application/json", "Arguments given both in the query and in the body: a."),
])
def test_a_bad_post_body_is_a_400_naming_the_problem(scripts, admin_page, body, content_type, problem):
    response = admin_page.post("/userscript/?script=echo&a=1", body, content_type=content_type)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_files_are_no_arguments(scripts, admin_page):
    upload = SimpleUploadedFile("devices.csv", b"name\nsw1\n")
    response = admin_page.post("/userscript/?script=echo", {"file": upload})
    assert response.status_code == 400 and "Files cannot be arguments of call(): file" in response.content.decode()


def test_a_body_over_djangos_limit_is_a_400(scripts, admin_page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    for body, content_type in ((json.dumps({"big": "x" * 2000}), "application/json"),
                               (f"big={'x' * 2000}", "application/x-www-form-urlencoded")):
        response = admin_page.post("/userscript/?script=echo", body, content_type=content_type)
        assert response.status_code == 400
        assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in response.content.decode()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_only_get_and_post(scripts, admin_page, method):
    assert getattr(admin_page, method)("/userscript/?script=echo").status_code == 405


def test_hostile_queries(scripts, admin_page):
    long_value = "x" * 200_000
    response = admin_page.get(f"/userscript/?script=echo&big={long_value}")
    assert response.status_code == 200 and long_value in response.content.decode()
    response = admin_page.get("/userscript/?script=echo&%D0%BA%D0%BB%D1%8E%D1%87=%E2%9C%93&a-b=1&a-b=2&a-b=3")
    assert response.status_code == 200
    assert response.content.decode() == repr([("a-b", ["1", "2", "3"]), ("script", "echo"), ("ключ", "✓")])
    too_many = "&".join(f"k{i}=v" for i in range(10_001))
    assert admin_page.get(f"/userscript/?script=echo&{too_many}").status_code == 400
    assert admin_page.get("/userscript/?script=%ZZ&x=%ZZ").status_code == 404
    assert admin_page.get("/userscript/../admin/?script=echo").status_code in (200, 302, 404)


def test_failure_to_write_the_log_is_reported_once_and_calls_go_on(scripts, admin_page, capfd):
    from netbox_userscripts.log import central as log

    handler = log.central_log.handler
    handler._reported = False
    handler.stream = None
    # Every write now goes to /dev/full and fails with ENOSPC, as on a full disk.
    handler.do_open = lambda mode=None: open("/dev/full", "a", encoding="utf-8")
    try:
        for _ in range(5):
            response = admin_page.get("/userscript/?script=raises")  # each one logs a traceback
            assert response.status_code == 500
        assert admin_page.get("/userscript/?script=number").content == b"42"
        from django.contrib.auth.models import Group
        for i in range(3):  # a save whose receiver logs: the save still succeeds
            Group.objects.create(name=f"full-disk-{i}")
        assert Group.objects.filter(name__startswith="full-disk-").count() == 3
    finally:
        log.configure(filename=str(scripts.log))
    errors = capfd.readouterr().err
    assert errors.count("cannot write the central log") == 1


def test_a_reloaded_version_is_freed_once_served(userscripts, admin_page):
    """Serving ``call()`` keeps no old version alive (its signature is cached by the function, weakly)."""
    userscripts.load_module("versioned", "def call(who, **kwargs):\n    return 'v1 ' + who\n")
    assert admin_page.get("/userscript/", {"script": "versioned", "who": "me"}).content == b"v1 me"
    old_call = weakref.ref(registry.callable("versioned"))
    old_module = weakref.ref(registry.get("versioned").module)
    userscripts.load_module("versioned", "def call(who, where='here', **kwargs):\n    return 'v2 ' + who + where\n")
    assert admin_page.get("/userscript/", {"script": "versioned", "who": "me"}).content == b"v2 mehere"
    gc.collect()
    assert old_call() is None and old_module() is None
