from django.apps import AppConfig


class ExtrasConfig(AppConfig):
    name = "extras"
    default_auto_field = "django.db.models.BigAutoField"
    # The engine owns the ``extras-api`` namespace (its jobs API under /api/extras/).
    api_namespace = "extras-data-api"
