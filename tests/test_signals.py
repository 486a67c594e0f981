"""Each signal fires with the documented arguments (on any model: here Django's own)."""
import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError

from netbox_userscripts import bulk_edit
from netbox_userscripts.loading.registry import registry

RECORDER = """
from django.contrib.auth.models import Group, User
from django.dispatch import receiver
from netbox_userscripts import signals

EVENTS = []

def record(signal_name):
    def receiver_(sender, **kwargs):
        kwargs.pop("signal")
        EVENTS.append((signal_name, sender, kwargs))
    receiver_.__name__ = f"on_{signal_name}"
    return receiver_

for name in ("pre_save", "post_save", "pre_delete", "post_delete", "pre_bulk_edit", "post_bulk_edit"):
    for model in (Group, User):
        getattr(signals, name).connect(record(name), sender=model)
signals.pre_request.connect(record("pre_request"))
signals.post_request.connect(record("post_request"))
"""


@pytest.fixture
def events(userscripts, db):
    userscripts.write("recorder.py", RECORDER)
    userscripts.load()
    module = registry.get("recorder").module
    assert registry.get("recorder").loaded, registry.get("recorder").traceback
    return module.EVENTS


def names(events, prefix=("pre_save", "post_save", "pre_delete", "post_delete", "pre_bulk", "post_bulk")):
    return [e[0] for e in events if e[0].startswith(prefix)]


def test_create_edit_delete_through_the_orm(events):
    group = Group.objects.create(name="core")
    group.name = "edge"
    group.save()
    group.delete()
    assert names(events) == ["pre_save", "post_save", "pre_save", "post_save", "pre_delete", "post_delete"]
    pre, post = events[0][2], events[1][2]
    assert pre["instance"] is group and pre["raw"] is False and pre["using"] == "default"
    assert post["created"] is True and events[3][2]["created"] is False
    assert events[1][1] is Group
    assert events[4][2]["origin"].name == "edge"


def test_bulk_import_and_queryset_delete_send_one_signal_per_object(events):
    for i in range(3):  # a bulk import saves each object
        Group.objects.create(name=f"g{i}")
    assert names(events).count("post_save") == 3
    events.clear()
    Group.objects.filter(name__startswith="g").delete()
    assert names(events) == ["pre_delete"] * 3 + ["post_delete"] * 3 or \
        sorted(names(events)) == sorted(["pre_delete", "post_delete"] * 3)
    assert {e[2]["instance"].name for e in events if e[0] == "post_delete"} == {"g0", "g1", "g2"}


def test_bulk_edit_sends_one_pair_and_no_save_signals(events):
    users = [User.objects.create_user(f"u{i}", password="x") for i in range(4)]
    events.clear()
    pks = bulk_edit(User.objects.filter(username__in=["u1", "u2", "u3"]), is_staff=True, first_name="Bulk")
    assert names(events) == ["pre_bulk_edit", "post_bulk_edit"]
    for _, sender, kwargs in events:
        assert sender is User
        assert kwargs["pk_list"] == [users[1].pk, users[2].pk, users[3].pk] == pks
        assert kwargs["changes"] == {"is_staff": True, "first_name": "Bulk"}
        assert kwargs["request"] is None
    assert User.objects.filter(is_staff=True, first_name="Bulk").count() == 3
    assert not User.objects.get(username="u0").is_staff


def test_bulk_edit_validates_every_object_and_writes_nothing_when_one_is_invalid(events):
    User.objects.create_user("taken", password="x")
    User.objects.create_user("other", password="x")
    events.clear()
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(User.objects.filter(username="other"), username="taken")
    assert "username" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(User.objects.all(), first_name="x" * 500)
    assert "first_name" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        bulk_edit(User.objects.all(), no_such_field=1)
    assert "no_such_field" in excinfo.value.message_dict
    assert names(events) == []
    assert set(User.objects.values_list("username", flat=True)) == {"taken", "other"}
    assert not User.objects.filter(first_name__startswith="x").exists()


def test_request_signals_for_pages_api_and_call(events, admin_client, userscripts):
    for path in ("/admin/", "/api/status/", "/userscript/?script=recorder"):
        events.clear()
        response = admin_client.get(path, HTTP_SEC_FETCH_SITE="same-origin")  # a session's call: from this site
        kinds = [e[0] for e in events if e[0].endswith("request")]
        assert kinds == ["pre_request", "post_request"], path
        assert events[0][2]["request"].path == path.split("?")[0]
        assert events[-1][2]["response"] is response


def test_several_modules_on_the_same_signal_are_all_called(userscripts, db):
    for name in ("one", "two", "three"):
        userscripts.write(f"{name}.py", """
            from django.contrib.auth.models import Group
            from netbox_userscripts.signals import post_save
            CALLED = []
            def saved(sender, instance, **kwargs):
                CALLED.append(instance.name)
            post_save.connect(saved, sender=Group)
        """)
    userscripts.load()
    Group.objects.create(name="shared")
    assert [registry.get(n).module.CALLED for n in ("one", "two", "three")] == [["shared"]] * 3


def test_a_pre_request_veto_refuses_the_request(userscripts, admin_client):
    userscripts.write("gate.py", """
        from netbox_userscripts import AbortEvent
        from netbox_userscripts.signals import pre_request

        def gate(sender, request, **kwargs):
            if request.path.startswith("/admin/dcim/"):
                raise AbortEvent("DCIM is frozen for the maintenance window")

        pre_request.connect(gate)
    """)
    userscripts.load()
    response = admin_client.get("/admin/dcim/site/")
    assert response.status_code == 403
    assert response.content.decode() == "Request refused: DCIM is frozen for the maintenance window\n"
    assert admin_client.get("/admin/").status_code == 200
