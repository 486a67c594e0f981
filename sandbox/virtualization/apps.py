from django.apps import AppConfig


class VirtualizationConfig(AppConfig):
    name = "virtualization"
    default_auto_field = "django.db.models.BigAutoField"
