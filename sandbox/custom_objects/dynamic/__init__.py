"""The app of the custom object models built at run time (label ``custom_objects_dynamic``).

It has no models module and no migrations: its models are built by ``custom_objects.cache``
from the definitions in the database, and an app without migrations keeps them out of
``makemigrations``.
"""
