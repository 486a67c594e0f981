"""The failure rules for userscript receivers: log and go on, roll back their writes, vetoes."""
import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from netbox_userscripts import AbortEvent, bulk_edit, exceptions

FAILING = """
from django.contrib.auth.models import Group, Permission, User
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import post_save, pre_delete, pre_save, pre_bulk_edit

def explodes(sender, instance, **kwargs):
    raise KeyError("boom")

def writes_then_raises(sender, instance, created, **kwargs):
    if created:
        User.objects.create_user(f"made-by-{instance.name}")
        raise ValueError("after writing")

def vetoes(sender, instance, **kwargs):
    if instance.name.startswith("forbidden"):
        raise AbortEvent(f"{instance.name} is not allowed")

def vetoes_delete(sender, instance, **kwargs):
    if instance.name == "keep":
        raise AbortEvent("keep must stay")

def vetoes_bulk(sender, pk_list, changes, **kwargs):
    if changes.get("last_name") == "nope":
        raise AbortEvent("no bulk nope")

def late_veto(sender, instance, **kwargs):
    if instance.name == "late":
        raise AbortEvent("too late to veto")

post_save.connect(explodes, sender=Group)
post_save.connect(writes_then_raises, sender=Group)
pre_save.connect(vetoes, sender=Group)
pre_delete.connect(vetoes_delete, sender=Group)
pre_bulk_edit.connect(vetoes_bulk, sender=User)
post_save.connect(late_veto, sender=Group)
"""


@pytest.fixture
def failing(userscripts):
    userscripts.write("failing.py", FAILING)
    userscripts.load()
    return userscripts.log


def _check_failures_logged_and_rolled_back(log_path):
    group = Group.objects.create(name="core")
    assert Group.objects.filter(pk=group.pk).exists()  # the save completed
    assert not User.objects.filter(username="made-by-core").exists()  # the receiver's write is gone
    text = log_path.read_text()
    assert "ERROR failing.py: receiver explodes failed on post_save of auth.Group" in text
    assert "KeyError: 'boom'" in text
    assert "ValueError: after writing" in text
    assert text.count("Traceback (most recent call last)") == 2
    # the connection is still usable afterwards
    Group.objects.create(name="next")
    assert Group.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_failing_receivers_in_autocommit_mode(failing):
    _check_failures_logged_and_rolled_back(failing)


@pytest.mark.django_db
def test_failing_receivers_inside_a_transaction(failing):
    with transaction.atomic():
        _check_failures_logged_and_rolled_back(failing)
        Permission.objects.first()  # the outer transaction is not broken


@pytest.mark.django_db
def test_abort_event_in_pre_save_vetoes(failing):
    with pytest.raises(AbortEvent, match="forbidden-1 is not allowed"):
        Group.objects.create(name="forbidden-1")
    assert not Group.objects.filter(name="forbidden-1").exists()
    assert "INFO failing.py: vetoes vetoed pre_save of auth.Group: forbidden-1 is not allowed" in failing.read_text()


@pytest.mark.django_db
def test_abort_event_in_pre_delete_and_pre_bulk_edit_vetoes(failing):
    group = Group.objects.create(name="keep")
    # Django's delete marks an enclosing transaction for rollback on any error: like an
    # IntegrityError, a veto is caught outside an atomic block of its own.
    with pytest.raises(AbortEvent, match="keep must stay"), transaction.atomic():
        group.delete()
    assert Group.objects.filter(name="keep").exists()
    User.objects.create_user("a", password="x")
    with pytest.raises(AbortEvent, match="no bulk nope"):
        bulk_edit(User.objects.all(), last_name="nope")
    assert not User.objects.filter(last_name="nope").exists()


@pytest.mark.django_db
def test_abort_event_in_post_save_cannot_veto(failing):
    Group.objects.create(name="late")
    assert Group.objects.filter(name="late").exists()
    assert "raised AbortEvent on post_save, which cannot be vetoed" in failing.read_text()


HOST_VETO = """
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from netbox_userscripts.signals import post_save, pre_save

def refuses(sender, instance, **kwargs):
    if instance.name == "refused":
        raise PermissionDenied("refused by the host's veto")

def refuses_late(sender, instance, **kwargs):
    if instance.name == "late":
        raise PermissionDenied("too late")

pre_save.connect(refuses, sender=Group)
post_save.connect(refuses_late, sender=Group)
"""


@pytest.fixture
def host_veto(userscripts, monkeypatch):
    """``HOST_VETO`` loaded; ``exceptions.vetoes`` put back afterwards, whatever the test adds."""
    monkeypatch.setattr(exceptions, "vetoes", exceptions.vetoes)
    userscripts.write("host_veto.py", HOST_VETO)
    userscripts.load()
    return userscripts.log


@pytest.mark.django_db
def test_a_class_the_host_adds_vetoes_as_abort_event_does(host_veto):
    # The NetBox plugin adds NetBox's AbortRequest at start-up; any host class goes the same way.
    exceptions.add_veto(PermissionDenied)
    exceptions.add_veto(PermissionDenied)
    assert exceptions.vetoes == (AbortEvent, PermissionDenied)
    with pytest.raises(PermissionDenied, match="refused by the host's veto"):
        Group.objects.create(name="refused")
    assert not Group.objects.filter(name="refused").exists()
    Group.objects.create(name="late")
    text = host_veto.read_text()
    assert "INFO host_veto.py: refuses vetoed pre_save of auth.Group: refused by the host's veto" in text
    assert "refuses_late raised PermissionDenied on post_save, which cannot be vetoed" in text
    assert "Traceback" not in text


@pytest.mark.django_db
def test_a_class_the_host_did_not_add_is_a_receiver_failure(host_veto):
    Group.objects.create(name="refused")  # saved: the exception was the receiver's failure
    assert Group.objects.filter(name="refused").exists()
    text = host_veto.read_text()
    assert "ERROR host_veto.py: receiver refuses failed on pre_save of auth.Group" in text
    assert "PermissionDenied: refused by the host's veto" in text


NESTED = """
from django.contrib.auth.models import Group, User
from django.db import connection
from netbox_userscripts.signals import post_save

def outer(sender, instance, created, **kwargs):
    if created and instance.name.startswith("nest"):
        User.objects.create_user(f"outer-{instance.name}")  # fires inner() below
        if instance.name == "nest-then-fail":
            raise RuntimeError("outer fails after the inner one")

def inner(sender, instance, created, **kwargs):
    if created and instance.username.startswith("outer-"):
        Group.objects.create(name=f"inner-{instance.username}")
        raise ValueError("inner fails after writing")

def bad_sql(sender, instance, created, **kwargs):
    if instance.name == "bad-sql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

post_save.connect(outer, sender=Group)
post_save.connect(inner, sender=User)
post_save.connect(bad_sql, sender=Group)
"""


@pytest.fixture
def nested(userscripts):
    userscripts.write("nested.py", NESTED)
    userscripts.load()
    return userscripts.log


@pytest.mark.parametrize("transactional", [False, True])
def test_nested_receivers_roll_back_only_their_own_writes(nested, transactional, request):
    request.getfixturevalue("transactional_db" if transactional else "db")
    Group.objects.create(name="nest-ok")
    assert User.objects.filter(username="outer-nest-ok").exists()  # the outer receiver's write stays
    assert not Group.objects.filter(name="inner-outer-nest-ok").exists()  # the inner one's is rolled back
    Group.objects.create(name="nest-then-fail")
    assert Group.objects.filter(name="nest-then-fail").exists()  # the save itself completed
    assert not User.objects.filter(username="outer-nest-then-fail").exists()  # all of the outer's writes gone
    text = nested.read_text()
    assert text.count("ValueError: inner fails after writing") == 2
    assert "RuntimeError: outer fails after the inner one" in text


@pytest.mark.django_db
def test_a_failing_query_does_not_break_the_surrounding_transaction(nested):
    with transaction.atomic():
        Group.objects.create(name="bad-sql")
        Group.objects.create(name="after")  # on PostgreSQL this fails if the transaction was aborted
    assert set(Group.objects.values_list("name", flat=True)) >= {"bad-sql", "after"}
    assert "receiver bad_sql failed" in nested.read_text()


FLAKY = """
from dcim.models import Site
from netbox_userscripts.signals import post_save

def checks_name(sender, instance, **kwargs):
    if instance.name.startswith("bad"):
        raise ValueError(f"{instance.name} is a bad name")

post_save.connect(checks_name, sender=Site)
"""


@pytest.fixture
def flaky(userscripts, db):
    userscripts.write("flaky.py", FLAKY)
    userscripts.load()
    return userscripts


def receiver_error_of(name):
    from netbox_userscripts.loading.registry import registry

    return next(row for row in registry.describe() if row["name"] == name)["receiver_error"]


def test_a_failed_receiver_is_the_modules_last_error_until_one_succeeds(flaky):
    from dcim.models import Site

    assert receiver_error_of("flaky") is None
    Site.objects.create(name="bad one", slug="bad-one")
    error = receiver_error_of("flaky")
    assert error["receiver"] == "checks_name" and error["signal"] == "post_save" and error["sender"] == "dcim.Site"
    assert error["error"] == "ValueError: bad one is a bad name"
    Site.objects.create(name="good one", slug="good-one")
    assert receiver_error_of("flaky") is None


def test_a_staff_user_whose_save_ran_a_failing_receiver_is_warned(flaky, admin_client):
    from django.contrib.messages import get_messages

    from dcim.models import Site

    response = admin_client.post("/admin/dcim/site/add/", {"name": "bad site", "slug": "bad-site",
                                                           "status": "active"}, follow=True)
    assert Site.objects.filter(slug="bad-site").exists()  # the save itself succeeded
    shown = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    warnings = [text for level, text in shown if level == "warning"]
    assert len(warnings) == 1, shown
    assert "flaky.py: checks_name failed on post_save of dcim.Site: ValueError: bad site is a bad name" in warnings[0]
    assert "flaky.py" in response.content.decode()  # on the page the redirect led to


def test_the_api_and_a_good_save_carry_no_warning(flaky, admin_client):
    from django.contrib.messages import get_messages

    response = admin_client.post("/admin/dcim/site/add/", {"name": "fine", "slug": "fine", "status": "active"},
                                 follow=True)
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    response = admin_client.post("/api/dcim/sites/", {"name": "bad api", "slug": "bad-api"},
                                 content_type="application/json")
    assert response.status_code == 201
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
