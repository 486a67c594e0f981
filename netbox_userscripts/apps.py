"""App config: at start-up, set up the central log and load the userscripts."""
from django.apps import AppConfig
from django.conf import settings


class UserscriptsConfig(AppConfig):
    name = "netbox_userscripts"
    verbose_name = "Userscripts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from netbox_userscripts import log, receivers
        from netbox_userscripts.registry import registry

        log.configure()
        receivers.install_connect_capture()
        registry.load_all(settings.USERSCRIPTS_ROOT)
