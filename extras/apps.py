from django.apps import AppConfig


class ExtrasConfig(AppConfig):
    name = "extras"
    default_auto_field = "django.db.models.BigAutoField"
