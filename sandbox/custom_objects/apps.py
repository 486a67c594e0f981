"""App config: keep this process's custom object models current, and tables following their definitions.

The models are loaded at the process's first database connection (so that deleting a
device already knows which custom objects point at it, in a server or in ``runjob``) and
checked against the schema token at the start of every request (``cache``). Changes of
definitions are followed by the schema editor (``schema``).
"""
from django.apps import AppConfig
from django.core.signals import request_started
from django.db.backends.signals import connection_created


class CustomObjectsConfig(AppConfig):
    name = "custom_objects"
    verbose_name = "Custom object definitions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from custom_objects import schema
        from custom_objects.cache import cache

        schema.connect()
        request_started.connect(cache.request_started, dispatch_uid="custom_objects.request_started")
        connection_created.connect(cache.connection_created, dispatch_uid="custom_objects.connection_created")
