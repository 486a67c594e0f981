"""``post_commit``: one signal per model per committed transaction, coalesced per object (CONTRACT 5)."""
import gc
import weakref

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.signals import post_delete, pre_save

from netbox_userscripts import AbortEvent, bulk_edit
from netbox_userscripts.commits.tracking import tracking
from netbox_userscripts.hooks.context import host_branching
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.signals import post_commit

pytestmark = pytest.mark.django_db(transaction=True)

RECORDER = """
from django.contrib.auth.models import Group, User
from django.dispatch import receiver
from netbox_userscripts.signals import post_commit

SENT = []

@receiver(post_commit, sender=Group)
def groups_committed(sender, changes, request, using, **kwargs):
    from django.db import connection
    SENT.append((sender, list(changes), request, using, connection.in_atomic_block))
"""


@pytest.fixture
def sent(userscripts):
    return userscripts.load_module("recorder", RECORDER).SENT


def load_beside(userscripts, name, source):
    """Add the module ``name`` beside the recorder; return the recorder's list (loading makes a new one)."""
    userscripts.load_module(name, source)
    return registry.get("recorder").module.SENT


def only(sent):
    """The changes of the one signal sent."""
    assert len(sent) == 1, sent
    return sent[0][1]


def test_a_committed_transaction_sends_once_after_the_commit(sent):
    with transaction.atomic():
        a = Group.objects.create(name="a")
        Group.objects.create(name="b")
        assert sent == []
    sender, changes, request, using, in_transaction = sent[0]
    assert (sender, request, using, in_transaction) == (Group, None, "default", False)
    assert [(c.action, c.pk) for c in changes] == [("create", a.pk), ("create", a.pk + 1)]
    create = changes[0]
    assert create.before is None and create.after == {"id": a.pk, "name": "a"}
    assert create.instance is a and create.changed == {"id", "name"}


def test_outside_a_transaction_it_is_sent_right_after_the_operation(sent):
    group = Group.objects.create(name="a")
    assert [c.action for c in only(sent)] == ["create"]
    group.name = "b"
    group.save()
    update = sent[1][1][0]
    assert (update.action, update.before, update.after, update.changed) == (
        "update", {"id": group.pk, "name": "a"}, {"id": group.pk, "name": "b"}, {"name"})
    group.delete()
    delete = sent[2][1][0]
    assert (delete.action, delete.instance, delete.before["name"], delete.after) == ("delete", None, "b", None)


def test_changes_coalesce_per_object(sent):
    kept = Group.objects.create(name="kept")
    gone = Group.objects.create(name="gone")
    gone_pk = gone.pk
    sent.clear()
    with transaction.atomic():
        new = Group.objects.create(name="new")
        new.name = "newer"
        new.save()                         # create + update = create, last state
        kept.name = "k1"
        kept.save()
        kept.name = "k2"
        kept.save()                        # update + update = update, first before to last after
        gone.name = "going"
        gone.save()
        gone.delete()                      # update + delete = delete, before as before the transaction
        brief = Group.objects.create(name="brief")
        brief.delete()                     # create + delete = nothing
    changes = {c.pk: c for c in only(sent)}
    assert [c.pk for c in only(sent)] == [new.pk, kept.pk, gone_pk]  # the order first touched
    assert (changes[new.pk].action, changes[new.pk].after["name"]) == ("create", "newer")
    assert (changes[kept.pk].action, changes[kept.pk].before["name"], changes[kept.pk].after["name"]) == (
        "update", "kept", "k2")
    assert changes[kept.pk].changed == {"name"}
    assert (changes[gone_pk].action, changes[gone_pk].before["name"]) == ("delete", "gone")


def test_a_save_that_changes_nothing_is_still_an_update(sent):
    group = Group.objects.create(name="same")
    sent.clear()
    with transaction.atomic():
        group.save()
    change, = only(sent)
    assert (change.action, change.changed) == ("update", set())


def test_update_fields_report_the_stored_values_of_the_others(sent):
    group = Group.objects.create(name="stored")
    sent.clear()
    group.name = "in memory only"
    group.save(update_fields=[])  # Django writes nothing
    assert sent == []
    user = User.objects.create(username="u", email="old@example.com")
    user.email, user.first_name = "new@example.com", "not saved"
    post_commit.connect(lambda **kw: sent.append(kw["changes"]), sender=User, weak=False, dispatch_uid="t-user")
    try:
        user.save(update_fields=["email"])
    finally:
        post_commit.disconnect(sender=User, dispatch_uid="t-user")
    change, = sent[0]
    assert change.changed == {"email"} and change.after["first_name"] == ""


def test_before_holds_the_stored_values_converted_as_after_does(sent):
    """``before`` is read as a raw row and converted only when asked: dates are dates, not the stored text."""
    user = User.objects.create(username="dated", email="old@example.com")
    user.refresh_from_db()
    post_commit.connect(lambda **kw: sent.append(kw["changes"]), sender=User, weak=False, dispatch_uid="t-user")
    try:
        with transaction.atomic():
            user.email = "new@example.com"
            user.save()
    finally:
        post_commit.disconnect(sender=User, dispatch_uid="t-user")
    change, = sent[0]
    assert change.before["date_joined"] == user.date_joined == change.after["date_joined"]
    assert (change.before["email"], change.after["email"]) == ("old@example.com", "new@example.com")
    assert change.changed == {"email"}  # a date compared as stored text would differ


def test_rollback_sends_nothing_and_keeps_nothing(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="rolled back")
        batch = connection._userscripts_batch
        assert batch() is not None
        raise RuntimeError
    assert sent == []
    assert batch() is None  # freed with Django's commit hooks, without waiting for the collector
    Group.objects.create(name="next")
    assert [c.after["name"] for c in only(sent)] == ["next"]


def test_a_rolled_back_savepoint_drops_its_changes_only(sent):
    with transaction.atomic():
        Group.objects.create(name="outer")
        try:
            with transaction.atomic():
                Group.objects.create(name="inner")
                with transaction.atomic():
                    Group.objects.create(name="innermost")
                raise RuntimeError
        except RuntimeError:
            pass
        with transaction.atomic():
            Group.objects.create(name="after")
    assert [c.after["name"] for c in only(sent)] == ["outer", "after"]


def test_a_failed_receivers_writes_are_not_reported(userscripts, sent):
    sent = load_beside(userscripts, "writer", """
        from django.contrib.auth.models import Group, User
        from django.dispatch import receiver
        from netbox_userscripts.signals import post_save

        @receiver(post_save, sender=User)
        def tag_and_fail(sender, instance, created, **kwargs):
            Group.objects.create(name=f"for {instance.username}")
            raise RuntimeError("failed after writing")
    """)
    with transaction.atomic():
        User.objects.create(username="ann")
        Group.objects.create(name="real")
    assert [c.after["name"] for c in only(sent)] == ["real"]
    assert "failed after writing" in userscripts.log.read_text()


def test_a_vetoed_delete_sends_nothing(userscripts, sent):
    group = Group.objects.create(name="protected")
    sent.clear()
    sent = load_beside(userscripts, "guard", """
        from django.contrib.auth.models import Group
        from django.dispatch import receiver
        from netbox_userscripts import AbortEvent
        from netbox_userscripts.signals import pre_delete

        @receiver(pre_delete, sender=Group)
        def keep(sender, instance, **kwargs):
            raise AbortEvent("protected groups stay")
    """)
    with pytest.raises(AbortEvent):
        group.delete()
    assert sent == [] and Group.objects.filter(pk=group.pk).exists()


def test_a_bulk_edit_is_one_update_per_primary_key(sent):
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    sent.clear()
    with transaction.atomic():
        bulk_edit(Group.objects.filter(pk=groups[0].pk), name="renamed")
        groups[1].name = "saved too"
        groups[1].save()
        bulk_edit(Group.objects.filter(pk=groups[1].pk), name="then bulk edited")
    first, second = only(sent)
    assert (first.action, first.pk, first.before["name"], first.after["name"], first.changed) == (
        "update", groups[0].pk, "g0", "renamed", {"name"})
    assert (second.before["name"], second.after["name"], second.instance.name) == ("g1", "then bulk edited",
                                                                                    "then bulk edited")


def test_a_bulk_edit_that_fails_validation_sends_nothing(sent):
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    sent.clear()
    with pytest.raises(ValidationError):
        bulk_edit(Group.objects.filter(pk__in=[g.pk for g in groups]), name="same")
    assert sent == []


def test_receivers_run_outside_the_transaction_and_failures_do_not_stop_the_others(userscripts, sent):
    sent = load_beside(userscripts, "broken", """
        from django.contrib.auth.models import Group
        from django.dispatch import receiver
        from netbox_userscripts import AbortEvent
        from netbox_userscripts.signals import post_commit

        @receiver(post_commit, sender=Group)
        def explode(sender, changes, **kwargs):
            raise ValueError("cannot push")

        @receiver(post_commit, sender=Group)
        def refuse(sender, changes, **kwargs):
            raise AbortEvent("too late")
    """)
    with transaction.atomic():
        Group.objects.create(name="x")
    assert len(only(sent)) == 1 and sent[0][4] is False
    log = userscripts.log.read_text()
    assert "ERROR broken.py: receiver explode failed on post_commit of auth.Group" in log
    assert "ValueError: cannot push" in log
    assert "refuse raised AbortEvent on post_commit, but the changes are already committed: too late" in log


def test_a_receiver_that_writes_gets_a_transaction_of_its_own(userscripts, sent):
    sent = load_beside(userscripts, "follower", """
        from django.contrib.auth.models import Group, User
        from django.dispatch import receiver
        from netbox_userscripts.signals import post_commit

        @receiver(post_commit, sender=User)
        def follow(sender, changes, **kwargs):
            for change in changes:
                Group.objects.create(name=f"team of {change.after['username']}")
    """)
    with transaction.atomic():
        User.objects.create(username="bob")
    assert [c.after["name"] for c in only(sent)] == ["team of bob"]


def test_only_models_with_a_receiver_are_followed(userscripts):
    assert tracking.followed == set()
    assert not pre_save.has_listeners(User) and not post_delete.has_listeners(User)  # fast deletes kept
    module = userscripts.load_module("recorder", RECORDER)
    assert tracking.followed == {Group} and pre_save.has_listeners(Group) and not pre_save.has_listeners(User)
    User.objects.create(username="not followed")
    assert module.SENT == []
    userscripts.write("recorder.py", RECORDER.replace("sender=Group", "sender=None"))
    registry.load("recorder")
    assert tracking.followed == {None}
    (userscripts.root / "recorder.py").unlink()
    registry.unload("recorder")
    assert tracking.followed == set() and not pre_save.has_listeners(Group)


def test_hot_reload_swaps_post_commit_receivers(userscripts, sent):
    listed = [c for m in registry.describe() if m["name"] == "recorder" for c in m["receivers"]]
    assert listed == [{"signal": "post_commit", "sender": "auth.Group", "receiver": "groups_committed"}]
    userscripts.write("recorder.py", RECORDER.replace("SENT.append(", "SENT.append(('v2',) + "))
    new = registry.load("recorder").module
    Group.objects.create(name="after reload")
    assert sent == [] and new.SENT[0][0] == "v2"


def test_hooks_left_by_other_code_keep_their_place(sent):
    ran = []
    with transaction.atomic():
        transaction.on_commit(lambda: ran.append(("first", len(sent))))
        Group.objects.create(name="a")
        transaction.on_commit(lambda: ran.append(("second", len(sent))))
        Group.objects.create(name="b")
    assert ran == [("first", 0), ("second", 0)] and len(only(sent)) == 2


def test_djangos_commit_hooks_are_the_shape_the_batches_rely_on():
    with transaction.atomic():
        transaction.on_commit(print)
        sids, func, robust = connection.run_on_commit[-1]
        assert (sids, func, robust) == (set(), print, False)


def test_nothing_outlives_a_committed_transaction(sent):
    with transaction.atomic():
        group = Group.objects.create(name="a")
        ref = connection._userscripts_batch
    assert ref() is None
    instance = weakref.ref(group)
    del group
    sent.clear()
    gc.collect()
    assert instance() is None


BRANCH_RECORDER = """
from django.contrib.auth.models import Group
from django.dispatch import receiver
from netbox_userscripts.signals import post_commit

SENT = []

@receiver(post_commit, sender=Group)
def where(sender, changes, branch, origin, **kwargs):
    SENT.append((branch, origin))
"""


def test_branch_and_origin_are_none_in_the_sandbox(userscripts):
    where = userscripts.load_module("where", BRANCH_RECORDER).SENT
    with transaction.atomic():
        Group.objects.create(name="in-a-transaction")
    Group.objects.create(name="autocommit")
    assert where == [(None, None), (None, None)]


def test_branch_and_origin_are_the_hosts_answers_when_the_transaction_first_changed(userscripts):
    where = userscripts.load_module("where", BRANCH_RECORDER).SENT
    answers = {"branch": "maint-42", "origin": "merge of maint-42"}
    host_branching.branch, host_branching.origin = lambda: answers["branch"], lambda: answers["origin"]
    try:
        with transaction.atomic():
            Group.objects.create(name="replayed")
            answers.update(branch=None, origin=None)  # the host moved on before the commit (post_merge)
        Group.objects.create(name="after")
    finally:
        host_branching.branch = host_branching.origin = None
    assert where == [("maint-42", "merge of maint-42"), (None, None)]
