from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created

from ipam.lookups import register_sqlite_functions


class IPAMConfig(AppConfig):
    name = "ipam"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # SQLite has no inet type: the IP lookups call SQL functions written in Python.
        connection_created.connect(register_sqlite_functions, dispatch_uid="ipam_sqlite_functions")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_functions(sender=type(connection), connection=connection)
