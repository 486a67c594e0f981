"""REST API of jobs and results: listing, running, 400/403/404, NetBox's spelling, uploads."""
import json

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from dcim.models import Manufacturer
from netbox_userscripts.scripts.models import JobResult

JOBS = """
from django.contrib.auth.models import Group, User
from netbox_userscripts.jobs import *

name = "API jobs"

class MakeGroup(Job):
    class Meta:
        name = "Make a group"
        description = "Creates one group"
        field_order = ["group_name", "owner"]

    owner = ObjectVar(model=User, required=False, query_params={"is_staff": True})
    group_name = StringVar(max_length=20, description="Name of the group")
    size = IntegerVar(min_value=1, default=1)

    def run(self, data, commit):
        group = Group.objects.create(name=data["group_name"])
        self.log_success(obj=group, message=f"Created {group.name} for {data['owner']}")
        return f"{group.name},{data['size']}"

class Upload(Job):
    upload = FileVar()

    def run(self, data, commit):
        return data["upload"].read().decode()

class Hidden(Job):
    class Meta:
        hidden = True
"""


@pytest.fixture
def jobs(userscripts, db):
    userscripts.load_module("api_jobs", JOBS)


def token_client(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"
    return client


@pytest.fixture
def runner_client(client, token_for, jobs):
    """A user with run_job and view_user (the objects of MakeGroup's owner), not view_jobresult."""
    user = User.objects.create_user("runner")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["run_job", "view_user"]))
    return token_client(client, token_for(user))


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_list_and_detail(admin_client, jobs):
    listing = admin_client.get("/api/extras/jobs/").json()
    names = [job["class_path"] for job in listing["results"]]
    assert names == ["local/api_jobs/MakeGroup", "local/api_jobs/Upload"]  # hidden left out
    job = listing["results"][0]
    assert job["full_name"] == "api_jobs.MakeGroup" and job["module"] == "api_jobs"
    assert job["module_name"] == "API jobs" and job["name"] == "Make a group"
    assert job["description"] == "Creates one group" and job["read_only"] is False
    assert [v["name"] for v in job["vars"]] == ["group_name", "owner", "size"]
    group_name, owner, size = job["vars"]
    assert group_name == {"name": "group_name", "type": "StringVar", "label": "Group name",
                          "description": "Name of the group", "required": True, "default": None,
                          "options": {"max_length": 20}}
    assert owner["type"] == "ObjectVar" and owner["required"] is False
    assert owner["options"]["model"] == "auth.user" and owner["options"]["query_params"] == {"is_staff": True}
    assert size["default"] == 1 and size["options"] == {"min_value": 1}
    detail = admin_client.get("/api/extras/jobs/local/api_jobs/MakeGroup/").json()
    assert detail == job
    assert admin_client.get("/api/extras/scripts/api_jobs.MakeGroup/").json() == job
    assert admin_client.get("/api/extras/jobs/local/api_jobs/Hidden/").status_code == 200
    assert len(admin_client.get("/api/extras/jobs/?hidden=true").json()["results"]) == 3
    assert "jobs" in admin_client.get("/api/extras/").json()
    assert "extras" in admin_client.get("/api/").json()


def test_run_commits_and_answers_201_with_the_result(runner_client):
    staff = User.objects.create_user("boss", is_staff=True)
    response = post(runner_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/",
                    {"data": {"group_name": "ops", "owner": {"username": "boss"}, "size": 4}, "commit": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == {"value": "completed", "label": "Completed"}
    assert body["output"] == "ops,4" and body["commit"] is True
    assert body["data"] == {"group_name": "ops", "owner": staff.pk, "size": 4}
    assert body["log"][0]["message"] == "Created ops for boss" and body["log"][0]["object"] == "ops"
    assert body["user"]["username"] == "runner"
    assert Group.objects.filter(name="ops").exists()
    # the runner may read their own result, not the list
    assert runner_client.get(f"/api/extras/job-results/{body['id']}/").status_code == 200
    assert runner_client.get("/api/extras/job-results/").status_code == 403


def test_commit_false_and_netbox_spelling(admin_client, jobs):
    response = post(admin_client, "/api/extras/scripts/api_jobs.MakeGroup/",
                    {"data": {"group_name": "dry"}, "commit": False})
    assert response.status_code == 201 and response.json()["status"]["value"] == "completed"
    assert not Group.objects.filter(name="dry").exists()


def test_input_errors_are_400_per_field_and_nothing_runs(admin_client, jobs):
    User.objects.create_user("plain")
    before = JobResult.objects.count()
    response = post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/",
                    {"data": {"group_name": "x" * 30, "size": 0, "owner": {"username": "plain"}}, "commit": True})
    assert response.status_code == 400
    errors = response.json()["data"]
    assert set(errors) == {"group_name", "size", "owner"}
    assert "at most 20 characters" in errors["group_name"][0]
    assert "greater than or equal to 1" in errors["size"][0]
    assert "does not match" in errors["owner"][0]
    assert response.json()["data"]["group_name"] and JobResult.objects.count() == before
    missing = post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": {}})
    assert missing.json() == {"data": {"group_name": ["This field is required."]}}
    assert post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/",
                {"data": {"group_name": "a"}, "commit": "maybe"}).status_code == 400
    assert post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": [1]}).status_code == 400
    assert JobResult.objects.count() == before


@pytest.mark.parametrize("lookup, message", [
    ({"groups__name": "ops"}, "across relations"),
    ({"username__startswith": "b"}, "across relations"),
    ({"no_such_field": "b"}, "is not a field of user"),
    ({"password": {"x": 1}}, "single value"),
])
def test_dict_lookups_refuse_relations_and_unknown_fields(admin_client, jobs, lookup, message):
    User.objects.create_user("boss", is_staff=True)
    response = post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/",
                    {"data": {"group_name": "g", "owner": lookup}})
    assert response.status_code == 400
    assert message in response.json()["data"]["owner"][0]


def test_permissions(client, token_for, jobs):
    assert client.get("/api/extras/jobs/").status_code == 401
    assert post(client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": {}}).status_code == 401
    user = User.objects.create_user("viewer")
    token_client(client, token_for(user))
    assert client.get("/api/extras/jobs/").status_code == 200
    response = post(client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": {"group_name": "no"}})
    assert response.status_code == 403 and "run_job" in response.json()["detail"]
    assert not Group.objects.exists() and not JobResult.objects.exists()


def test_unknown_job_is_404(admin_client, jobs):
    assert admin_client.get("/api/extras/jobs/local/api_jobs/Nope/").status_code == 404
    assert post(admin_client, "/api/extras/jobs/local/nope/Nope/run/", {}).status_code == 404
    assert post(admin_client, "/api/extras/scripts/nope.Nope/", {}).status_code == 404


def test_file_upload_as_multipart(admin_client, jobs):
    upload = SimpleUploadedFile("hosts.txt", b"a\nb\n")
    response = admin_client.post("/api/extras/jobs/local/api_jobs/Upload/run/",
                                 {"data": "{}", "commit": "true", "upload": upload})
    assert response.status_code == 201, response.content
    assert response.json()["output"] == "a\nb\n" and response.json()["data"] == {"upload": "hosts.txt"}
    missing = admin_client.post("/api/extras/jobs/local/api_jobs/Upload/run/", {"data": "{}"})
    assert missing.status_code == 400 and "upload" in missing.json()["data"]
    bad = admin_client.post("/api/extras/jobs/local/api_jobs/Upload/run/", {"data": "{nope"})
    assert bad.status_code == 400 and "JSON" in bad.json()["data"][0]


def test_results_newest_first_and_filters(admin_client, jobs):
    for name in ("a", "b"):
        post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": {"group_name": name}})
    post(admin_client, "/api/extras/jobs/local/api_jobs/MakeGroup/run/", {"data": {"group_name": "a"}})  # errors
    post(admin_client, "/api/extras/jobs/local/api_jobs/Upload/run/", {"data": {}})  # 400: no result
    results = admin_client.get("/api/extras/job-results/").json()
    assert results["count"] == 3
    assert [r["status"]["value"] for r in results["results"]] == ["errored", "completed", "completed"]
    assert results["results"][0]["id"] > results["results"][1]["id"]
    errored = admin_client.get("/api/extras/job-results/?status=errored").json()
    assert errored["count"] == 1 and "IntegrityError" in errored["results"][0]["traceback"]
    by_job = admin_client.get("/api/extras/job-results/?job=local/api_jobs/MakeGroup&status=completed").json()
    assert by_job["count"] == 2
    assert admin_client.get("/api/extras/job-results/?job=api_jobs.Upload").json()["count"] == 0
    one = admin_client.get(f"/api/extras/job-results/{results['results'][0]['id']}/").json()
    assert one["job_name"] == "api_jobs.MakeGroup"
    assert admin_client.get("/api/extras/job-results/?limit=1").json()["next"]


PICK = """
from dcim.models import Manufacturer
from netbox_userscripts.jobs import *

class Pick(Job):
    maker = ObjectVar(model=Manufacturer)
    makers = MultiObjectVar(model=Manufacturer, required=False)

    def run(self, data, commit):
        return data["maker"].name
"""


def test_an_object_the_runner_may_not_view_is_refused_as_one_that_does_not_exist(client, token_for, userscripts, db):
    userscripts.load_module("pick", PICK)
    vendor = Manufacturer.objects.create(name="Secret Vendor", slug="secret-vendor")
    user = User.objects.create_user("picker")
    user.user_permissions.add(Permission.objects.get(codename="run_job"))
    token_client(client, token_for(user))
    assert client.get("/api/dcim/manufacturers/").status_code == 403
    url = "/api/extras/jobs/local/pick/Pick/run/"
    refused = {f"No manufacturer with id {vendor.pk}."}
    by_key = post(client, url, {"data": {"maker": vendor.pk, "makers": [vendor.pk]}})
    assert by_key.status_code == 400, by_key.content
    assert by_key.json()["data"] == {"maker": list(refused), "makers": list(refused)}
    by_lookup = post(client, url, {"data": {"maker": {"name": "Secret Vendor"}}})  # names no hidden id
    assert by_lookup.json()["data"] == {"maker": ["No manufacturer matches {'name': 'Secret Vendor'}."]}
    queued = post(client, url, {"data": {"maker": vendor.pk}, "background": True})
    assert queued.status_code == 400 and queued.json()["data"]["maker"] == [f"No manufacturer with id {vendor.pk}."]
    assert not JobResult.objects.exists()
    user.user_permissions.add(Permission.objects.get(codename="view_manufacturer"))
    response = post(client, url, {"data": {"maker": {"name": "Secret Vendor"}, "makers": [vendor.pk]}})
    assert response.status_code == 201 and response.json()["output"] == "Secret Vendor"
