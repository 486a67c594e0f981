"""WSGI entry point for gunicorn: ``gunicorn netbox.wsgi``."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
application = get_wsgi_application()

# Each server worker watches the userscripts folder itself (USERSCRIPTS_AUTORELOAD).
from netbox_userscripts.conf import setting  # noqa: E402
from netbox_userscripts.loading import reloader  # noqa: E402

if setting("USERSCRIPTS_AUTORELOAD"):
    reloader.start()
