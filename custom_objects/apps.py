"""App config: keep this process's custom object models current.

The models are loaded at the process's first database connection (so that deleting a
device already knows which custom objects point at it, in a server or in ``runjob``) and
checked against the schema token at the start of every request.
"""
import logging

from django.apps import AppConfig
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS
from django.db.backends.signals import connection_created

from custom_objects.cache import cache

logger = logging.getLogger("custom_objects")


class CustomObjectsConfig(AppConfig):
    name = "custom_objects"
    verbose_name = "Custom object definitions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        request_started.connect(_request_started, dispatch_uid="custom_objects.request_started")
        connection_created.connect(_connection_created, dispatch_uid="custom_objects.connection_created")


def _request_started(sender, **kwargs):
    try:
        cache.ensure_current()
    except Exception:  # no database for this request (down, or not allowed): its own queries will say so
        logger.debug("custom object models not checked at the start of a request", exc_info=True)


def _connection_created(sender, connection, **kwargs):
    if cache.token is None and connection.alias == DEFAULT_DB_ALIAS:
        cache.ensure_current()
