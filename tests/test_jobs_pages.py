"""Job pages: list, form, running from the form, results with sanitised Markdown, choices."""
import pytest
from django.contrib.auth.models import Group, Permission, User

from dcim.models import Manufacturer
from netbox_userscripts.scripts.models import JobResult

JOBS = """
from django.contrib.auth.models import Group, User
from netbox_userscripts.jobs import *

name = "Page jobs"

class MakeGroup(Job):
    class Meta:
        name = "Make a group"
        description = "Creates one group"
        field_order = ["group_name", "size"]
        commit_default = False

    size = IntegerVar(min_value=1, default=2)
    group_name = StringVar(max_length=20)
    owner_group = ObjectVar(model=Group, required=False)
    owner = ObjectVar(model=User, required=False, display_field="username", query_params={"groups": "$owner_group"})

    def run(self, data, commit):
        group = Group.objects.create(name=data["group_name"])
        self.log_success(obj=group, message="Created **bold** <script>alert(1)</script>")
        self.log_warning("a [link](javascript:alert(1)) and <b onclick=x>html</b>")
        return "name,size\\n" + f"{group.name},{data['size']}"

class Report(Job):
    class Meta:
        read_only = True

    def test_one(self):
        self.log_failure(message="bad thing")
"""


@pytest.fixture
def jobs(userscripts, db):
    userscripts.load_module("page_jobs", JOBS)


def test_pages_need_a_login(client, jobs):
    for path in ("/jobs/", "/jobs/local/page_jobs/MakeGroup/", "/jobs/results/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_job_list(admin_client, jobs):
    html = admin_client.get("/jobs/").content.decode()
    assert "Page jobs" in html and "Make a group" in html and "local/page_jobs/MakeGroup" in html
    assert 'href="/jobs/local/page_jobs/MakeGroup/"' in html


def test_form_in_field_order_with_commit_per_default(admin_client, jobs):
    html = admin_client.get("/jobs/local/page_jobs/MakeGroup/").content.decode()
    assert html.index('name="group_name"') < html.index('name="size"') < html.index('name="owner_group"')
    assert 'name="_commit"' in html and 'name="_commit" checked' not in html  # commit_default False
    assert 'data-depends-on="owner_group"' in html
    report = admin_client.get("/jobs/page_jobs.Report/").content.decode()
    assert 'type="hidden" name="_commit"' in report and 'type="checkbox" name="_commit"' not in report
    assert admin_client.get("/jobs/local/page_jobs/Nope/").status_code == 404


def test_submit_runs_and_shows_the_result(admin_client, jobs):
    response = admin_client.post("/jobs/local/page_jobs/MakeGroup/", {"group_name": "ops", "size": "3",
                                                                       "_commit": "on"})
    result = JobResult.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/results/{result.pk}/"
    assert result.status == "completed" and result.commit and Group.objects.filter(name="ops").exists()
    html = admin_client.get(response["Location"]).content.decode()
    assert "Completed" in html and "<strong>bold</strong>" in html
    # raw HTML in a message is shown as text, never as markup
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html and "<b onclick" not in html and "&lt;b onclick=x&gt;" in html
    group = Group.objects.get(name="ops")
    assert f'href="/admin/auth/group/{group.pk}/change/"' in html
    assert 'id="group-run"' in html and "ops,3" in html
    download = admin_client.get(f"/jobs/results/{result.pk}/output/")
    assert download.content == b"name,size\nops,3" and "attachment" in download["Content-Disposition"]
    listing = admin_client.get("/jobs/results/").content.decode()
    assert f'href="/jobs/results/{result.pk}/"' in listing


def test_invalid_input_reshows_the_form_and_runs_nothing(admin_client, jobs):
    response = admin_client.post("/jobs/local/page_jobs/MakeGroup/", {"group_name": "x" * 30, "size": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 20 characters" in html and "greater than or equal to 1" in html
    assert not JobResult.objects.exists() and not Group.objects.exists()


def test_unchecked_commit_rolls_back_and_report_groups_by_method(admin_client, jobs):
    admin_client.post("/jobs/local/page_jobs/MakeGroup/", {"group_name": "dry", "size": "1"})
    assert not Group.objects.exists() and JobResult.objects.get().commit is False
    response = admin_client.post("/jobs/local/page_jobs/Report/", {})
    html = admin_client.get(response["Location"]).content.decode()
    assert "Failed" in html and 'id="group-test_one"' in html and "bad thing" in html


def test_running_needs_run_job_and_results_need_view(client, jobs):
    user = User.objects.create_user("viewer", password="pw")
    client.force_login(user)
    assert client.get("/jobs/local/page_jobs/MakeGroup/").status_code == 200
    assert client.post("/jobs/local/page_jobs/MakeGroup/", {"group_name": "no"}).status_code == 403
    assert not JobResult.objects.exists()
    other = JobResult.objects.create(class_path="local/x/Y", job_name="x.Y", status="completed")
    assert client.get(f"/jobs/results/{other.pk}/").status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="run_job"))
    response = client.post("/jobs/local/page_jobs/MakeGroup/", {"group_name": "yes", "size": "1"})
    assert client.get(response["Location"]).status_code == 200  # one's own result
    user.user_permissions.add(Permission.objects.get(codename="view_jobresult"))
    user = User.objects.get(pk=user.pk)
    client.force_login(user)
    assert client.get(f"/jobs/results/{other.pk}/").status_code == 200


def test_choices_follow_the_referenced_field(admin_client, jobs):
    ops = Group.objects.create(name="ops")
    ann = User.objects.create_user("ann")
    User.objects.create_user("bob")
    ann.groups.add(ops)
    url = "/jobs/local/page_jobs/MakeGroup/choices/owner/"
    everyone = admin_client.get(url).json()["results"]
    assert {c["label"] for c in everyone} >= {"ann", "bob"}
    assert admin_client.get(f"{url}?owner_group={ops.pk}").json() == {"results": [{"value": ann.pk, "label": "ann"}]}
    assert admin_client.get("/jobs/local/page_jobs/MakeGroup/choices/size/").status_code == 404
    form = admin_client.get(f"/jobs/local/page_jobs/MakeGroup/?owner_group={ops.pk}").content.decode()
    assert ">ann</option>" in form and ">bob</option>" not in form


PICK = """
from dcim.models import Manufacturer
from netbox_userscripts.jobs import *

class Pick(Job):
    maker = ObjectVar(model=Manufacturer)
    makers = MultiObjectVar(model=Manufacturer, required=False)

    def run(self, data, commit):
        return data["maker"].name
"""


@pytest.fixture
def secret_vendor(userscripts, db):
    """A job picking manufacturers, and one manufacturer."""
    userscripts.load_module("pick", PICK)
    return Manufacturer.objects.create(name="Secret Vendor", slug="secret-vendor")


def runner(client, *codenames):
    """``client`` logged in as a user with ``run_job`` and ``codenames``."""
    user, _ = User.objects.get_or_create(username="runner")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["run_job", *codenames]))
    client.force_login(User.objects.get(pk=user.pk))  # a fresh user: its permission cache is empty
    return client


def test_a_runner_without_view_permission_sees_and_picks_no_object_of_the_model(client, secret_vendor):
    runner(client)
    assert client.get("/api/dcim/manufacturers/").status_code == 403  # as the API refuses it
    assert "Secret Vendor" not in client.get("/jobs/local/pick/Pick/").content.decode()
    assert client.get("/jobs/local/pick/Pick/choices/maker/").json() == {"results": []}
    assert client.get("/jobs/local/pick/Pick/choices/makers/").json() == {"results": []}
    response = client.post("/jobs/local/pick/Pick/", {"maker": secret_vendor.pk, "makers": [secret_vendor.pk]})
    assert response.status_code == 200  # the form again, refused as an object that does not exist
    errors = response.context["form"].errors
    assert errors["maker"] == [f"No manufacturer with id {secret_vendor.pk}."]
    assert errors["makers"] == [f"No manufacturer with id {secret_vendor.pk}."]
    assert not JobResult.objects.exists()


def test_the_view_permission_shows_and_accepts_the_models_objects(client, secret_vendor):
    runner(client, "view_manufacturer")
    assert "Secret Vendor" in client.get("/jobs/local/pick/Pick/").content.decode()
    choices = client.get("/jobs/local/pick/Pick/choices/maker/").json()
    assert choices == {"results": [{"value": secret_vendor.pk, "label": "Secret Vendor"}]}
    response = client.post("/jobs/local/pick/Pick/", {"maker": secret_vendor.pk})
    assert response.status_code == 302 and JobResult.objects.get().output == "Secret Vendor"


def test_anonymous_users_see_the_objects_when_login_is_not_required(client, secret_vendor, settings):
    settings.LOGIN_REQUIRED = False
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "LoginRequired" not in m]
    assert client.get("/api/dcim/manufacturers/").status_code == 200  # the API lets anyone read then
    choices = client.get("/jobs/local/pick/Pick/choices/maker/").json()
    assert choices == {"results": [{"value": secret_vendor.pk, "label": "Secret Vendor"}]}
