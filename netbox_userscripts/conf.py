"""The engine's settings with their defaults, so the app works in any Django project."""
from pathlib import Path

from django.conf import settings

DEFAULTS = {
    "USERSCRIPTS_ROOT": "userscripts",
    "USERSCRIPTS_LOG_FILE": "logs/userscripts.log",
    "USERSCRIPTS_LOG_MAX_SIZE": 10 * 1024 * 1024,
    "USERSCRIPTS_LOG_BACKUP_COUNT": 5,
    "USERSCRIPTS_LOG_LEVEL": "INFO",
    "USERSCRIPTS_AUTORELOAD": True,
    "LOGIN_REQUIRED": True,
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


def userscripts_root():
    return Path(setting("USERSCRIPTS_ROOT")).resolve()
