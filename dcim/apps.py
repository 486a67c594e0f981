from django.apps import AppConfig


class DCIMConfig(AppConfig):
    name = "dcim"
    default_auto_field = "django.db.models.BigAutoField"
