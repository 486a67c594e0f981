from django.apps import AppConfig


class IPAMConfig(AppConfig):
    name = "ipam"
    default_auto_field = "django.db.models.BigAutoField"
