"""Hostile input to jobs: always a clear 4xx (or exit code 2) naming the problem, never a 500.

Over the REST API run endpoint and ``manage.py runjob --data``: wrong types, nested JSON
where a scalar belongs, ``data`` that is no object, ``commit`` that is no boolean, object
references that are huge, negative, fractional or reach across relations, bodies and
uploads over Django's limits (``DATA_UPLOAD_MAX_MEMORY_SIZE`` for the input,
``FILE_UPLOAD_MAX_MEMORY_SIZE`` per FileVar upload). Nothing runs and nothing is recorded.
A job that logs a 1 MB message keeps it whole: in its result, in the central log as one
record, on the result page and in the API.
"""
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from netbox_userscripts.scripts.models import JobResult

MB = 1024 * 1024

JOBS = """
from django.contrib.auth.models import Group, User
from netbox_userscripts.jobs import *

class Inputs(Job):
    label = StringVar(max_length=50)
    notes = TextVar(required=False)
    count = IntegerVar(required=False)
    flag = BooleanVar()
    colour = ChoiceVar(choices=[("red", "Red"), ("blue", "Blue")], required=False)
    owner = ObjectVar(model=User, required=False)
    members = MultiObjectVar(model=User, required=False)

    def run(self, data, commit):
        Group.objects.create(name=data["label"])
        return f"notes={len(data['notes'] or '')} flag={data['flag']}"

class Upload(Job):
    upload = FileVar()

    def run(self, data, commit):
        return str(len(data["upload"].read()))

class Loud(Job):
    def run(self, data, commit):
        self.log_info("start " + "x" * (1024 * 1024) + " end")
        Group.objects.create(name="loud")
"""

RUN = "/api/extras/jobs/local/hostile_jobs/Inputs/run/"
UPLOAD = "/api/extras/jobs/local/hostile_jobs/Upload/run/"

WHOLE_PK = "Give a primary key (a whole number) or an object of field lookups."

# (data, the var named in the error, a part of its message); the same cases for API and CLI.
BAD_DATA = [
    ({"label": "ok", "count": "many"}, "count", "Enter a whole number."),
    ({"label": "ok", "count": 1.5}, "count", "Enter a whole number."),
    ({"label": "ok", "count": True}, "count", "Enter a whole number."),
    ({"label": "ok", "count": {"value": 1}}, "count", "Give a single value, not an object."),
    ({"label": "ok", "count": [[1]]}, "count", "Give a single value, not a list."),
    ({"label": ["a", "b"]}, "label", "Give a single value, not a list."),
    ({"label": {"a": 1}}, "label", "Give a single value, not an object."),
    ({"label": {"a": {"b": {"c": [1, [2, {"d": None}]]}}}}, "label", "Give a single value, not an object."),
    ({"label": "x" * (MB // 2)}, "label", "Ensure this value has at most 50 characters (it has 524288)."),
    ({"label": "ok", "notes": ["a"]}, "notes", "Give a single value, not a list."),
    ({"label": "ok", "flag": "maybe"}, "flag", "Give true or false (got 'maybe')."),
    ({"label": "ok", "flag": {"on": True}}, "flag", "Give a single value, not an object."),
    ({"label": "ok", "colour": ["red"]}, "colour", "Give a single value, not a list."),
    ({"label": "ok", "colour": "green"}, "colour", "Select a valid choice."),
    ({"label": "ok", "owner": 10 ** 30}, "owner", "No user with id 1000000000000000000000000000000."),
    ({"label": "ok", "owner": 2 ** 63}, "owner", "No user with id 9223372036854775808."),
    ({"label": "ok", "owner": -1}, "owner", "No user with id -1."),
    ({"label": "ok", "owner": 1.5}, "owner", WHOLE_PK),
    ({"label": "ok", "owner": 1.0}, "owner", WHOLE_PK),
    ({"label": "ok", "owner": "abc"}, "owner", "'abc' is not a valid user id."),
    ({"label": "ok", "owner": [1]}, "owner", "Give a single value, not a list."),
    ({"label": "ok", "owner": {"groups__name": "x"}}, "owner", "no '__' lookups across relations"),
    ({"label": "ok", "owner": {"password__startswith": "md5"}}, "owner", "no '__' lookups across relations"),
    ({"label": "ok", "owner": {"username": {"$gt": ""}}}, "owner", "'username': give a single value."),
    ({"label": "ok", "owner": {}}, "owner", "non-empty dict of field lookups"),
    ({"label": "ok", "members": [1.5]}, "members", WHOLE_PK),
    ({"label": "ok", "members": [[1]]}, "members", WHOLE_PK),
    ({"label": "ok", "members": [10 ** 30]}, "members", "No user with id 1000000000000000000000000000000."),
    ({"label": "ok", "members": [1] * 300_000}, "members", "Select at most 1,000 objects; 300,000 were given."),
    ({"label": "ok", "nope": 1}, "nope", "Inputs has no variable 'nope'"),
]


@pytest.fixture
def jobs(userscripts, db):
    userscripts.load_module("hostile_jobs", JOBS)
    return userscripts


def post(client, path, body):
    return client.post(path, body if isinstance(body, (str, bytes)) else json.dumps(body),
                       content_type="application/json")


def nothing_ran():
    return Group.objects.count() == 0 and JobResult.objects.count() == 0


# REST API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, var, message", BAD_DATA, ids=[f"{v}-{i}" for i, (_, v, _) in enumerate(BAD_DATA)])
def test_api_bad_values_are_400_naming_the_var(admin_client, jobs, data, var, message):
    User.objects.create_user("someone")
    response = post(admin_client, RUN, {"data": data, "commit": True})
    assert response.status_code == 400, response.content[:500]
    errors = response.json()["data"]
    assert list(errors) == [var] and message in " ".join(errors[var]), errors
    assert nothing_ran()


@pytest.mark.parametrize("body, key, message", [
    ({"data": "x"}, "data", "Not valid JSON"),
    ({"data": [1, 2]}, "data", "Give an object"),
    ({"data": 5}, "data", "Give an object"),
    ({"data": None}, "data", "Give an object"),
    ({"data": "[1]"}, "data", "Give an object"),
    ({"data": {"label": "ok"}, "commit": "maybe"}, "commit", "Must be true or false."),
    ({"data": {"label": "ok"}, "commit": 1}, "commit", "Must be true or false."),
    ({"data": {"label": "ok"}, "commit": [True]}, "commit", "Must be true or false."),
    ({"data": {"label": "ok"}, "commit": {"value": True}}, "commit", "Must be true or false."),
    ([1, 2], "data", "Give an object"),
    ("just text", "data", "Give an object"),
])
def test_api_bad_body_shapes_are_400(admin_client, jobs, body, key, message):
    response = post(admin_client, RUN, json.dumps(body))
    assert response.status_code == 400, response.content[:500]
    assert message in " ".join(response.json()[key])
    assert nothing_ran()


@pytest.mark.parametrize("text", ["{nope", "[" * 100_000, '{"data": ' * 50_000, "\xff\xfe"])
def test_api_unparsable_body_is_400(admin_client, jobs, text):
    response = post(admin_client, RUN, text.encode("latin-1"))
    assert response.status_code == 400, response.content[:500]
    assert "JSON" in response.json()["detail"]
    assert nothing_ran()


@pytest.mark.parametrize("var", ["label", "notes"])  # a StringVar with max_length, a TextVar without
def test_api_10mb_string_is_413_naming_the_limit(admin_client, jobs, var):
    data = {"label": "ok", var: "x" * (10 * MB)}
    response = post(admin_client, RUN, {"data": data, "commit": True})
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in detail and "2.5 MB" in detail, detail
    assert nothing_ran()


def test_api_1mb_text_runs_and_is_kept(admin_client, jobs):
    response = post(admin_client, RUN, {"data": {"label": "ok", "notes": "y" * MB, "flag": "true"}, "commit": True})
    assert response.status_code == 201, response.content[:500]
    assert response.json()["output"] == f"notes={MB} flag=True"
    assert len(JobResult.objects.get().data["notes"]) == MB


def test_api_upload_over_the_limit_is_400_naming_it(admin_client, jobs):
    """Django's default FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) bounds a FileVar upload."""
    upload = SimpleUploadedFile("big.bin", b"\0" * (3 * MB))
    response = admin_client.post(UPLOAD, {"data": "{}", "upload": upload})
    assert response.status_code == 400, response.content[:500]
    message = " ".join(response.json()["data"]["upload"])
    assert "FILE_UPLOAD_MAX_MEMORY_SIZE" in message and "2.5 MB" in message, message
    assert nothing_ran()
    ok = admin_client.post(UPLOAD, {"data": "{}", "upload": SimpleUploadedFile("ok.bin", b"\0" * (2 * MB))})
    assert ok.status_code == 201 and ok.json()["output"] == str(2 * MB)


def test_api_huge_multipart_body_is_refused_before_it_is_read(admin_client, jobs, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    just_over = admin_client.post(UPLOAD, {"data": "{}", "upload": SimpleUploadedFile("a.bin", b"a" * 1001)})
    assert just_over.status_code == 400 and "1000 bytes" in " ".join(just_over.json()["data"]["upload"])
    huge = admin_client.post(UPLOAD, {"data": "{}", "upload": SimpleUploadedFile("b.bin", b"b" * 200_000)})
    assert huge.status_code == 413
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in huge.json()["detail"]
    big_data = admin_client.post(UPLOAD, {"data": json.dumps({"x": "y" * 5000}),
                                          "upload": SimpleUploadedFile("c.bin", b"c")})
    assert big_data.status_code == 413 and "DATA_UPLOAD_MAX_MEMORY_SIZE" in big_data.json()["detail"]
    assert nothing_ran()


def test_api_file_var_given_as_json_is_400(admin_client, jobs):
    response = post(admin_client, UPLOAD, {"data": {"upload": {"name": "x", "content": "abc"}}})
    assert response.status_code == 400
    assert "multipart" in " ".join(response.json()["data"]["upload"])


# Command line ------------------------------------------------------------------------------------


def runjob(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("runjob", *args, stdout=out, stderr=err, no_color=True)
        code = 0
    except CommandError as exc:
        code, err = exc.returncode, io.StringIO(err.getvalue() + str(exc))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("data, var, message", BAD_DATA, ids=[f"{v}-{i}" for i, (_, v, _) in enumerate(BAD_DATA)])
def test_cli_bad_values_exit_2_naming_the_var(jobs, data, var, message):
    User.objects.create_user("someone")
    code, out, err = runjob("--commit", "--data", json.dumps(data), "local/hostile_jobs/Inputs")
    assert code == 2, err
    assert err.startswith("Invalid input, nothing ran:") and f"  {var}: " in err and message in err, err
    assert out == ""
    assert nothing_ran()


@pytest.mark.parametrize("text, message", [
    ("[1]", "--data must be a JSON object"),
    ('"text"', "--data must be a JSON object"),
    ("{nope", "--data is not valid JSON"),
    ("[" * 100_000, "--data is not valid JSON"),
    ("\ud800", "--data is not valid JSON"),
    (json.dumps({"label": "ok", "notes": "x" * (10 * MB)}), "DATA_UPLOAD_MAX_MEMORY_SIZE"),
    (json.dumps({"label": "x" * (10 * MB)}), "DATA_UPLOAD_MAX_MEMORY_SIZE"),
])
def test_cli_bad_data_exits_2(jobs, text, message):
    code, out, err = runjob("--data", text, "local/hostile_jobs/Inputs")
    assert code == 2 and message in err, err[:500]
    assert "Traceback" not in err and out == ""
    assert nothing_ran()


def test_cli_data_file_and_upload_over_the_limits_exit_2(jobs, tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"label": "ok", "notes": "x" * (10 * MB)}))
    code, out, err = runjob("--data", f"@{big}", "local/hostile_jobs/Inputs")
    assert code == 2 and "DATA_UPLOAD_MAX_MEMORY_SIZE" in err, err[:500]
    upload = tmp_path / "big.bin"
    upload.write_bytes(b"\0" * (3 * MB))
    code, out, err = runjob("--data", json.dumps({"upload": str(upload)}), "local/hostile_jobs/Upload")
    assert code == 2 and "upload: " in err and "FILE_UPLOAD_MAX_MEMORY_SIZE" in err, err[:500]
    code, out, err = runjob("--data", json.dumps({"upload": ["a"]}), "local/hostile_jobs/Upload")
    assert code == 2 and "upload: " in err, err[:500]
    assert nothing_ran()


# A 1 MB log message -------------------------------------------------------------------------------


def test_a_1mb_log_message_is_kept_whole_everywhere(admin_client, jobs):
    response = post(admin_client, "/api/extras/jobs/local/hostile_jobs/Loud/run/", {"commit": True})
    assert response.status_code == 201, response.content[:500]
    message = "start " + "x" * MB + " end"
    result = JobResult.objects.get()
    assert result.status == "completed" and result.log[0]["message"] == message
    assert response.json()["log"][0]["message"] == message

    records = [line for line in jobs.log.read_text().splitlines() if re.match(r"\d{4}-\d\d-\d\d ", line)]
    loud = [line for line in records if "Loud [run] info:" in line]
    assert len(loud) == 1 and loud[0].endswith(f"Loud [run] info: {message}")

    page = admin_client.get(f"/jobs/results/{result.pk}/")
    assert page.status_code == 200 and message.encode() in page.content
    detail = admin_client.get(f"/api/extras/job-results/{result.pk}/")
    assert detail.status_code == 200 and detail.json()["log"][0]["message"] == message
    assert admin_client.get("/api/extras/job-results/").status_code == 200
    assert admin_client.get("/jobs/results/").status_code == 200


# Run options -------------------------------------------------------------------------------------

TOO_LONG = "Ensure this value is less than or equal to 2147483647."


@pytest.mark.parametrize("interval", [2 ** 31, 10 ** 13, 10 ** 20])
def test_an_interval_past_netboxs_bound_is_refused_naming_it_everywhere(admin_client, jobs, interval):
    response = post(admin_client, RUN, {"data": {"label": "ok"}, "interval": interval})
    assert response.status_code == 400 and response.json() == {"interval": [TOO_LONG]}, response.content[:500]
    code, out, err = runjob("--interval", str(interval), "--data", '{"label": "ok"}', "local/hostile_jobs/Inputs")
    assert code == 2 and "--interval: " + TOO_LONG in err and "Traceback" not in err, err
    page = admin_client.post("/jobs/local/hostile_jobs/Inputs/", {"label": "ok", "_interval": str(interval)})
    assert page.status_code == 200 and TOO_LONG in page.content.decode()
    assert nothing_ran()
