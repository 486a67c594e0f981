from django.apps import AppConfig


class DCIMConfig(AppConfig):
    name = "dcim"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dcim import signals  # noqa: F401 - connects the app's receivers
