"""A host that limits users to some modules (NetBox's constrained view permission): the engine's lists obey it.

The app config's ``host_visible_modules`` is set to ``alpha_only`` here: any user but a
superuser sees the module ``alpha`` only, in the module list, the log tail (first read and
followed) and the task runs. NetBox's own rule is tested in ``tests/netbox_plugin``.
"""
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django_tasks_db.models import DBTaskResult

from netbox_userscripts.log import central as log

TASKS = {"default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend"}}


def alpha_only(user):
    return None if user.is_superuser else {"alpha"}


@pytest.fixture
def host_limits_modules():
    config = apps.get_app_config("netbox_userscripts")
    config.host_visible_modules = "tests.test_module_scope.alpha_only"
    yield
    del config.host_visible_modules


@pytest.fixture
def alpha_user(client, host_limits_modules, userscripts, db):
    """Modules alpha and beta, each with log records; ``client`` logged in as a staff user limited to alpha."""
    for name in ("alpha", "beta"):
        userscripts.load_module(name, "def call(**kwargs):\n    return 1\n")
        log.logger_for(name).warning("%s speaks", name)
    user = User.objects.create_user("alpha-only", is_staff=True)
    client.force_login(user)
    return client


def test_the_module_list_shows_the_visible_modules_only(alpha_user, admin_client):
    assert [m["name"] for m in alpha_user.get("/api/userscripts/").json()["results"]] == ["alpha"]
    assert {m["name"] for m in admin_client.get("/api/userscripts/").json()["results"]} == {"alpha", "beta"}


def test_the_log_tail_shows_the_visible_modules_records_only(alpha_user, admin_client):
    first = alpha_user.get("/api/userscripts/log/?n=50").json()
    assert [r["message"] for r in first["records"]] == ["alpha speaks"]
    assert alpha_user.get("/api/userscripts/log/?script=beta").json()["records"] == []
    assert [r["message"] for r in admin_client.get("/api/userscripts/log/?n=2").json()["records"]] == [
        "alpha speaks", "beta speaks"]
    log.logger_for("beta").warning("beta again")
    log.logger_for("alpha").warning("alpha again")
    followed = alpha_user.get(f"/api/userscripts/log/?after={first['offset']}&file={first['file']}").json()
    assert [r["message"] for r in followed["records"]] == ["alpha again"]
    start = alpha_user.get("/api/userscripts/log/?n=0").json()
    assert start["records"] == [] and isinstance(start["offset"], int)  # where a page follows from
    log.logger_for("alpha").warning("alpha once more")
    followed = alpha_user.get(f"/api/userscripts/log/?after={start['offset']}&file={start['file']}").json()
    assert [r["message"] for r in followed["records"]] == ["alpha once more"]
    for client in (alpha_user, admin_client):  # a user limited to modules and one who sees them all
        assert isinstance(client.get("/api/userscripts/log/?n=0").json()["offset"], int)


def test_the_task_runs_show_the_visible_modules_runs_only(alpha_user, admin_client, settings):
    settings.TASKS = TASKS
    for name in ("alpha", "beta"):
        DBTaskResult.objects.create(task_path=f"userscripts.{name}.f", args_kwargs={"args": [], "kwargs": {}},
                                    backend_name="default", status="SUCCESSFUL")
    assert [r["task"] for r in alpha_user.get("/api/userscripts/tasks/").json()["results"]] == ["alpha.f"]
    assert alpha_user.get("/api/userscripts/tasks/?script=beta").json()["results"] == []
    assert {r["task"] for r in admin_client.get("/api/userscripts/tasks/").json()["results"]} == {"alpha.f", "beta.f"}
