"""The schema editor of custom objects: each type's table follows its definitions, change by change.

A change of definitions (``custom_objects.changes``) tells this module, through its
signals (connected by ``connect()`` in the app's ``ready()``), when it starts and when it
ends, in the same transaction as the edits:

1. at the start, the schema lock is taken (it serialises changes) and this process's
   models are rebuilt if another process changed them;
2. at the end, each touched type's table is brought in line with its definitions by
   Django's schema editor (created, dropped, or columns added, altered and removed one by
   one); the schema token moves, so every other process rebuilds its models at its next
   request and refuses writes through the old ones meanwhile (``state``); this process
   rebuilds its models, and each new type gets its content type and its
   ``view``/``add``/``change``/``delete`` permissions;
3. after a change that rolled back, the models built for it are forgotten.

On SQLite, a change inside a transaction begun with foreign-key checks on (a job) defers
them to the commit (``DeferredChecks``).
"""
from django.apps.registry import Apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import NotSupportedError, connections
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from custom_objects import builder, changes, state
from custom_objects.cache import cache
from custom_objects.models import CustomObjectType, CustomObjectTypeField


def connect():
    """Follow every change of definitions (the app's ``ready()``)."""
    changes.change_started.connect(lock, dispatch_uid="custom_objects.schema.lock")
    changes.change_ending.connect(apply, dispatch_uid="custom_objects.schema.apply")
    changes.change_failed.connect(forget, dispatch_uid="custom_objects.schema.forget")


def lock(sender, change, **kwargs):
    """Take the schema lock for the change's transaction, on the models of the current token."""
    token = state.lock(change.using)
    if token != cache.token:
        cache.load(token, change.using)


def apply(sender, change, **kwargs):
    """The touched types' tables follow their definitions; the token moves; models and permissions follow."""
    _apply_tables(change)
    cache.load(state.bump(change.using), change.using)
    _sync_permissions(change)


def forget(sender, change, **kwargs):
    """A change rolled back: the next check rebuilds the models from what the database holds."""
    cache.invalidate()


def _before(type_id):
    """A touched type's model before the change: the cache holds the locked token's until the change ends."""
    try:
        return cache.get_model(type_id)
    except LookupError:
        return None  # a new type: no table yet


def _apply_tables(current):
    """Bring each touched type's table in line with its definitions."""
    using = current.using
    fields = CustomObjectTypeField.objects.using(using).select_related("choice_set", "related_object_type")
    types = CustomObjectType.objects.using(using).filter(pk__in=current.touched).prefetch_related(
        "fields__choice_set", "fields__related_object_type")
    isolated = Apps()
    touched = set(current.touched)
    before = {type_id: _before(type_id) for type_id in touched}

    def resolve(type_id):
        if type_id in touched:
            return f"{builder.DYNAMIC_APP_LABEL}.{builder.model_name(type_id)}"
        return cache.get_model(type_id)

    after = {cot.pk: builder.build_model(cot, fields.filter(custom_object_type=cot), None, isolated, resolve)
             for cot in types}
    with _schema_editor(connections[using]) as editor:
        for type_id in sorted(touched):
            old, new = before.get(type_id), after.get(type_id)
            if old is None and new is not None:
                editor.create_model(new)
            elif old is not None and new is None:
                editor.delete_model(old)
            elif old is not None:
                _sync_table(editor, old, new)


def _schema_editor(connection):
    """Django's schema editor; on SQLite inside a transaction with foreign-key checks on, one deferring them."""
    if connection.vendor == "sqlite" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            checks_on = bool(cursor.fetchone()[0])
        if checks_on:
            editor = type("DeferredChecksSchemaEditor", (DeferredChecks, connection.SchemaEditorClass), {})
            return editor(connection)
    return connection.schema_editor()


class DeferredChecks:
    """SQLite, in a transaction begun with foreign-key checks on (a job's run, say).

    Django's SQLite editor wants the checks off, which SQLite cannot do inside a
    transaction; deferring them to the commit it can. Most changes then work: new tables,
    added and dropped columns, and tables remade (copied, dropped, renamed back) that no
    row elsewhere points at. Remaking a table that rows point at would leave SQLite
    counting the dropped table's references as broken at the commit, so that one change
    is refused, with a message saying where it can be made.
    """

    def __enter__(self):
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA defer_foreign_keys = ON")
        return BaseDatabaseSchemaEditor.__enter__(self)

    def __exit__(self, exc_type, exc_value, traceback):
        return BaseDatabaseSchemaEditor.__exit__(self, exc_type, exc_value, traceback)

    def _remake_table(self, model, *args, **kwargs):
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            for name in self.connection.introspection.table_names(cursor):
                if not name.startswith("custom_objects_"):
                    continue
                cursor.execute(f"PRAGMA foreign_key_list({self.quote_name(name)})")
                for column in [row[3] for row in cursor.fetchall() if row[2] == table]:
                    cursor.execute(f"SELECT 1 FROM {self.quote_name(name)} "
                                   f"WHERE {self.quote_name(column)} IS NOT NULL LIMIT 1")
                    if cursor.fetchone():
                        raise NotSupportedError(
                            f"On SQLite, this change of {model.custom_object_type.name!r} rebuilds its table, which "
                            "other objects point at; SQLite allows that only outside a transaction begun with "
                            "foreign-key checks on, such as a job's. Make the change in the admin or the API.")
        return super()._remake_table(model, *args, **kwargs)


def _sync_table(editor, old, new):
    """Remove, alter and add columns of ``old``'s table until it is ``new``'s, one step at a time."""
    before, after = builder.user_fields(old), builder.user_fields(new)
    apps = Apps()
    current = old
    concrete = {key: f for key, f in before.items() if f.concrete}

    def step(change):
        nonlocal current
        change()
        current = builder.model_with_fields(current, concrete.values(), apps)

    for key in [k for k in before if k not in after]:
        field = before[key]
        if field.many_to_many:
            editor.remove_field(current, field)
            continue
        concrete.pop(key)
        step(lambda field=field: editor.remove_field(current, current._meta.get_field(field.name)))
    for key in [k for k in before if k in after]:
        old_field, new_field = before[key], after[key]
        if old_field.many_to_many:
            continue  # its link table is named by id: a rename changes nothing
        if _differs(old_field, new_field):
            concrete[key] = new_field
            step(lambda old_field=old_field, new_field=new_field: editor.alter_field(
                current, current._meta.get_field(old_field.name), new_field))
        elif old_field.name != new_field.name:
            concrete[key] = new_field  # a rename: same column, nothing to do in the database
    for key in [k for k in after if k not in before]:
        field = after[key]
        if field.many_to_many:
            editor.add_field(current, field)
            continue
        concrete[key] = field
        step(lambda field=field: editor.add_field(current, field))


def _differs(old_field, new_field):
    old_path, old_args, old_kwargs = old_field.deconstruct()[1:]
    new_path, new_args, new_kwargs = new_field.deconstruct()[1:]
    for kwargs in (old_kwargs, new_kwargs):
        for name in ("verbose_name", "help_text", "validators", "choices", "blank"):
            kwargs.pop(name, None)
    return (old_path, old_args, old_kwargs) != (new_path, new_args, new_kwargs)


def _sync_permissions(current):
    """Content types and permissions for new types; none left behind by deleted ones."""
    using = current.using
    for type_id in current.touched:
        try:
            model = cache.get_model(type_id)
        except LookupError:
            ContentType.objects.db_manager(using).filter(
                app_label=builder.DYNAMIC_APP_LABEL, model=builder.model_name(type_id).lower()).delete()
            continue
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        opts = model._meta
        for action in ("view", "add", "change", "delete"):
            Permission.objects.db_manager(using).update_or_create(
                content_type=content_type, codename=f"{action}_{opts.model_name}",
                defaults={"name": f"Can {action} {opts.verbose_name_plural}"[:255]})
    ContentType.objects.clear_cache()
