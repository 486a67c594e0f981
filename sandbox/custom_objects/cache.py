"""The custom object models of this process, as of one schema token.

``cache.ensure_current()`` reads the token (one indexed query) and, when it moved since
the models were built (a change in this process or any other), rebuilds every custom
object model from the definitions and puts them in Django's app registry, so that
relations to and from them (a device's deletion setting a custom object's field to
null, say) work as for any model. It runs at the start of every request and at a
process's first database connection (``request_started`` and ``connection_created``,
connected in the app's ``ready()``); schema changes rebuild at once in the process that
made them (under the app ``custom_objects_dynamic``).

Models are rebuilt all together: an object field holds the class of its target, so a
change of one type changes the models of the types that point at it.
"""
import logging
import threading

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import Prefetch

from custom_objects import builder, names, state
from custom_objects.models import CustomObjectType, CustomObjectTypeField

logger = logging.getLogger("custom_objects")


class ModelCache:
    def __init__(self):
        self._lock = threading.RLock()
        self.token = None
        self._models = {}  # type id -> model
        self._keys = {}  # slug key (see names.slug_key) -> type id
        self.on_load = []  # callables given the new models after each (re)build, e.g. the admin's pages

    def ensure_current(self, using=DEFAULT_DB_ALIAS):
        """Rebuild the models if the schema token moved; False when the tables do not exist yet."""
        try:
            token = state.read(using)
        except DatabaseError:
            return False  # not migrated yet
        if token != self.token:
            self.load(token, using)
        return True

    def invalidate(self):
        """Forget the token, so the next ``ensure_current`` rebuilds (after a rolled-back change)."""
        self.token = None

    def load(self, token, using=DEFAULT_DB_ALIAS):
        """Build every type's model from the definitions in the database, for ``token``."""
        with self._lock:
            fields = CustomObjectTypeField.objects.using(using).select_related("choice_set", "related_object_type")
            types = list(CustomObjectType.objects.using(using).prefetch_related(Prefetch("fields", queryset=fields)))
            registered = apps.all_models[builder.DYNAMIC_APP_LABEL]
            registered.clear()
            built = {}
            for cot in types:
                built[cot.pk] = builder.build_model(
                    cot, cot.fields.all(), token, apps,
                    resolve=lambda pk: f"{builder.DYNAMIC_APP_LABEL}.{builder.model_name(pk)}")
            apps.clear_cache()
            self._models = built
            self._keys = {names.slug_key(m.custom_object_type.slug): pk for pk, m in built.items()}
            self.token = token
            for callback in self.on_load:
                callback(list(built.values()))

    def _loaded(self):
        if self.token is None:
            self.ensure_current()

    def get_model(self, type_id_or_slug):
        """The model of a type, by id or slug (either spelling); ``LookupError`` if there is none."""
        self._loaded()
        models, keys = self._models, self._keys
        if isinstance(type_id_or_slug, int):
            model = models.get(type_id_or_slug)
        else:
            model = models.get(keys.get(names.slug_key(str(type_id_or_slug))))
        if model is None:
            raise LookupError(f"No custom object type {type_id_or_slug!r}.")
        return model

    def get_model_named(self, class_name):
        """The model whose class is named ``class_name`` (``Table5Model``), or None."""
        type_id = builder.type_id_of(class_name.lower())
        try:
            return None if type_id is None else self.get_model(type_id)
        except LookupError:
            return None

    def all_models(self):
        self._loaded()
        return list(self._models.values())

    def request_started(self, sender, **kwargs):
        """At the start of every request: the models of the current token."""
        try:
            self.ensure_current()
        except Exception:  # no database for this request (down, or not allowed): its own queries will say so
            logger.debug("custom object models not checked at the start of a request", exc_info=True)

    def connection_created(self, sender, connection, **kwargs):
        """At a process's first connection: a delete already knows which custom objects point at the row."""
        if self.token is None and connection.alias == DEFAULT_DB_ALIAS:
            self.ensure_current()


cache = ModelCache()
