"""The embedded task backend: django-tasks-db's ``DatabaseBackend``, with an enqueue that costs one INSERT.

``TASKS = {"default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend"}}`` (the
default). Everything but the enqueue is the library's: its ``DBTaskResult`` table and
admin, its worker (``userscripts_worker``, ``db_worker``), its results. An enqueue writes
the same row, sends the same ``pre_save``/``post_save`` and ``task_enqueued`` signals, and
returns the same ``TaskResult`` as the library's, cheaper:

- the row's INSERT is compiled once per database connection by Django's own compiler
  (``PreparedInsert``), where ``Model.save()`` compiles it for every row; its values are
  prepared by each field's ``get_db_prep_save``, as the compiler prepares them, and it runs
  on the driver's cursor (``driversql``: not in ``connection.queries``);
- the row is made with its values by position, as Django makes a row read from the
  database, not by keyword;
- the ``TaskResult`` is built once from the task at hand (``queued_result``), where the
  library builds it twice (for the signal, then for the caller), each time importing the
  task again from its path.

A task enqueued from a ``post_commit`` hook (the documented pattern) pays this per save,
which is what CONTRACT section 10's figure 10 measures. ``django_tasks_db.DatabaseBackend``
still works as the ``BACKEND``, with the library's own enqueue.
"""
from functools import cached_property

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import Expression, signals, sql
from django_tasks_db.backend import DatabaseBackend as LibraryDatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import TaskResultStatus, normalize_json, task_enqueued
from django_tasks_db.utils import normalize_uuid

from netbox_userscripts.commits.driversql import DriverStatement, per_connection


class PreparedInsert:
    """Inserts rows of one model with a statement compiled once per database connection.

    For a model whose primary key is set in Python and that needs nothing back from the
    database (no ``AutoField``, no ``db_default``, no generated field): ``Model.save()`` on
    a new row does the same steps, compiling the statement again each time.
    """

    def __init__(self, model):
        meta = model._meta
        self.model = model
        self.fields = [field for field in meta.local_concrete_fields if not field.generated]
        if meta.db_returning_fields or any(field.has_db_default() for field in self.fields):
            raise ValueError(f"{meta.label}: a row of it needs values back from the database; save() it instead.")
        if self.fields != list(meta.concrete_fields):
            raise ValueError(f"{meta.label}: a model with parents or generated fields; save() it instead.")
        self.defaults = [(field.attname, field.get_default) for field in self.fields]

    def new(self, **values):
        """``model(**values)``, made faster: the values by position, each other field's default as Django gives it."""
        return self.model(*[values[name] if name in values else default() for name, default in self.defaults])

    def statement(self, connection):
        """The INSERT for ``connection``, compiled by Django the first time."""
        def compile_insert():
            query = sql.InsertQuery(self.model)
            query.insert_values(self.fields, [self.model()])  # compiling runs pre_save: not on the row to write
            [(text, _params)] = query.get_compiler(connection=connection).as_sql()
            return DriverStatement(connection, text)
        return per_connection(connection, self, compile_insert)

    def save(self, instance, using):
        """Insert ``instance`` as ``instance.save(force_insert=True, using=using)`` would."""
        model = self.model
        signals.pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
        values = [field.pre_save(instance, True) for field in self.fields]
        if any(isinstance(value, Expression) for value in values):
            raise ValueError(f"{model._meta.label}: a value is a database expression; save() the row instead.")
        connection = connections[using]
        params = [field.get_db_prep_save(value, connection) for field, value in zip(self.fields, values, strict=True)]
        with transaction.mark_for_rollback_on_error(using):
            self.statement(connection).execute(params)
        instance._state.adding = False
        instance._state.db = using
        signals.post_save.send(sender=model, instance=instance, created=True, update_fields=None, raw=False,
                               using=using)


class DatabaseBackend(LibraryDatabaseBackend):
    """django-tasks-db's backend; ``enqueue`` writes its row through a ``PreparedInsert``."""

    @cached_property
    def rows(self):
        # Looked up on first use, as the library does: a backend may be made (by an @task at
        # import time) before the app registry is ready.
        return PreparedInsert(apps.get_model("django_tasks_database", "DBTaskResult"))

    def _task_to_db_task(self, task, args, kwargs):
        result_id = self._get_id()
        if isinstance(result_id, Expression):  # an id the database computes (Django 6.0+): the library's save
            return super()._task_to_db_task(task, args, kwargs)
        rows = self.rows
        row = rows.new(id=result_id, args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
                       priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                       run_after=task.run_after, backend_name=self.alias)
        rows.save(row, using=router.db_for_write(rows.model, instance=row))
        return row

    def enqueue(self, task, args, kwargs):
        if task.backend != self.alias:  # a task of this backend was validated by it when made (Task.__post_init__)
            self.validate_task(task)
        row = self._task_to_db_task(task, args, kwargs)
        result = queued_result(row, task) if row.status == TaskResultStatus.READY else row.task_result
        task_enqueued.send(type(self), task_result=result)
        return result


def queued_result(row, task):
    """``row.task_result`` of a row just queued for ``task``, without looking the task up again by its path.

    The library's property imports the task from the row's path and copies it with the
    row's options: for a row written a moment ago from ``task``, that is ``task``.
    """
    args_kwargs = row.args_kwargs
    result = TaskResult(db_result=row, task=task, id=normalize_uuid(row.id), status=TaskResultStatus.READY,
                        enqueued_at=row.enqueued_at, started_at=None, last_attempted_at=None, finished_at=None,
                        args=args_kwargs["args"], kwargs=args_kwargs["kwargs"], backend=row.backend_name, errors=[],
                        worker_ids=row.worker_ids)
    object.__setattr__(result, "_return_value", row.return_value)
    return result
