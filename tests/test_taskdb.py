"""``netbox_userscripts.tasks.backend``: the embedded backend writes the library's row, result, signals in one INSERT.

Each check compares with django-tasks-db's own ``DatabaseBackend``, configured beside it.
"""
import dataclasses
import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from dcim.models import Site
from netbox_userscripts.tasks.backend import DatabaseBackend, PreparedInsert

try:  # Django 6.0+
    from django.tasks.signals import task_enqueued
except ImportError:
    from django_tasks.signals import task_enqueued

SCRIPT = """
from netbox_userscripts.tasks import task


@task
def push_config(device_id, options=None):
    return device_id
"""
FIXED_ID = uuid.UUID("6a1d4c0e-2b8e-4f43-9f0e-1c2d3e4f5a6b")
TASKS = {
    "default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend", "QUEUES": ["default", "slow"]},
    "library": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "slow"]},
    "fixed": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend",
              "OPTIONS": {"id_function": "tests.test_taskdb.fixed_id"}},
}


def fixed_id():
    return FIXED_ID


@pytest.fixture
def push(userscripts, settings, db):
    settings.TASKS = TASKS
    return userscripts.load_module("pushes", SCRIPT).push_config


def stored(result):
    """The row of ``result`` as the database holds it, without what differs by run (id, time, backend)."""
    row = DBTaskResult.objects.filter(pk=result.id).values().get()
    return {name: value for name, value in row.items() if name not in ("id", "enqueued_at", "backend_name")}


def test_the_project_default_is_this_backend(push):
    assert type(push.get_backend()) is DatabaseBackend


@pytest.mark.parametrize("options", [
    {},
    {"priority": 10, "queue_name": "slow"},
    {"run_after": timezone.now() + timedelta(hours=1)},
])
def test_the_row_is_the_one_the_library_writes(push, options):
    ours = push.using(**options).enqueue(device_id=5, options={"dry": True, "tags": ("a", "b")})
    theirs = push.using(backend="library", **options).enqueue(device_id=5, options={"dry": True, "tags": ("a", "b")})
    assert stored(ours) == stored(theirs)
    row = DBTaskResult.objects.get(pk=ours.id)
    assert row.backend_name == "default" and row.args_kwargs["kwargs"]["options"]["tags"] == ["a", "b"]
    assert row.run_after == options.get("run_after", get_date_max())  # the library's pre_save receiver ran
    assert timezone.now() - timedelta(minutes=1) < row.enqueued_at <= timezone.now()


def test_rows_after_rows_keep_their_own_values(push):
    """The values prepared for one row are reused only for an equal value of the same type."""
    wanted = [(i, "slow" if i % 2 else "default", i * 3 % 7 - 3) for i in range(6)]
    results = [push.using(queue_name=queue, priority=priority).enqueue(i) for i, queue, priority in wanted]
    rows = DBTaskResult.objects.in_bulk([r.id for r in results])
    assert [(rows[uuid.UUID(r.id)].args_kwargs["args"][0], rows[uuid.UUID(r.id)].queue_name,
             rows[uuid.UUID(r.id)].priority) for r in results] == wanted


def test_the_result_is_the_one_the_library_builds_from_the_row(push):
    result = push.enqueue(device_id=7)
    from_row = DBTaskResult.objects.get(pk=result.id).task_result
    for field in dataclasses.fields(result):
        if field.name != "db_result":
            assert getattr(result, field.name) == getattr(from_row, field.name), field.name
    assert result.task is push and result.db_result.pk == uuid.UUID(result.id)
    assert result.status == "READY" and not result.is_finished


def test_the_save_signals_and_task_enqueued_are_sent(push):
    seen = []

    def saving(sender, instance, raw, using, update_fields, **kwargs):
        seen.append(("pre_save", instance._state.adding, using))

    def saved(sender, instance, created, **kwargs):
        seen.append(("post_save", created, instance._state.adding))

    def enqueued(sender, task_result, **kwargs):
        seen.append(("task_enqueued", sender, task_result.id))

    pre_save.connect(saving, sender=DBTaskResult)
    post_save.connect(saved, sender=DBTaskResult)
    task_enqueued.connect(enqueued)
    try:
        result = push.enqueue(device_id=1)
    finally:
        pre_save.disconnect(saving, sender=DBTaskResult)
        post_save.disconnect(saved, sender=DBTaskResult)
        task_enqueued.disconnect(enqueued)
    assert seen == [("pre_save", True, "default"), ("post_save", True, False),
                    ("task_enqueued", DatabaseBackend, result.id)]


@pytest.mark.parametrize("backend", ["default", "library"])
def test_a_broken_transaction_refuses_the_enqueue_as_django_does(push, backend):
    Site.objects.create(name="S", slug="s")
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            Site.objects.create(name="S", slug="s")
        with pytest.raises(TransactionManagementError, match="An error occurred in the current transaction"):
            push.using(backend=backend).enqueue(device_id=1)


def test_a_database_error_is_djangos_and_marks_the_transaction(push):
    fixed = push.using(backend="fixed")
    fixed.enqueue(device_id=1)
    with transaction.atomic():
        with pytest.raises(IntegrityError):  # django.db's, not the driver's
            fixed.enqueue(device_id=2)
        assert connection.needs_rollback
    assert DBTaskResult.objects.filter(pk=FIXED_ID).get().args_kwargs["kwargs"] == {"device_id": 1}


@pytest.mark.django_db(transaction=True)
def test_enqueue_after_the_connection_was_closed_opens_it_again(userscripts, settings):
    settings.TASKS = TASKS
    push = userscripts.load_module("pushes", SCRIPT).push_config
    first = push.enqueue(device_id=1)
    connection.close()
    second = push.enqueue(device_id=2)
    assert DBTaskResult.objects.filter(pk__in=[first.id, second.id]).count() == 2


def test_a_model_that_needs_values_back_from_the_database_is_refused():
    with pytest.raises(ValueError, match=r"dcim.Site: a row of it needs values back from the database"):
        PreparedInsert(Site)

