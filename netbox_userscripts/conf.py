"""The engine's settings with their defaults, so the app works in any Django project.

A setting is read from the first place that has it: the sources a host adapter added
(NetBox's plugin: ``PLUGINS_CONFIG["netbox_userscripts"]``), then Django's settings, then
the defaults below. ``is_netbox()`` says which host the engine runs in, asked without reading
Django's settings or importing any data app (NetBox imports the engine while it reads its own
settings).
"""
import importlib.util
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
    "USERSCRIPTS_ANONYMOUS_CALLS": (),  # checked by web.anonymous
    "USERSCRIPTS_GIT": None,
    "USERSCRIPTS_DATA_SOURCE": None,
    "USERSCRIPTS_GIT_MAX_FILES": 1000,  # files in one synced version
    "USERSCRIPTS_GIT_MAX_BYTES": 50 * 1024 * 1024,  # bytes of one synced version, all its files together
    "USERSCRIPTS_LOG_STREAM": None,
    "USERSCRIPTS_LOG_STREAM_MAX": 100000,
    "USERSCRIPTS_LOG_STREAM_MAX_BYTES": 16 * 1024 * 1024,  # records waiting for Redis, at most
    "METRICS_ENABLED": False,  # NetBox's own setting: the engine's Prometheus metrics (``metrics``)
    "USERSCRIPTS_METRICS_TOKEN": None,  # the sandbox's /metrics: read with "Authorization: Bearer TOKEN"
    "USERSCRIPTS_SLOW_HOOK_SECONDS": 5,  # a hook running longer is named in its module's log (``metrics.slowhooks``)
}

_sources = []  # mappings consulted before Django's settings, most recently added first


def add_source(mapping):
    """Read settings from ``mapping`` before Django's settings (a host adapter's own configuration)."""
    _sources.insert(0, mapping)


def setting(name):
    for source in _sources:
        if name in source:
            return source[name]
    return getattr(settings, name, DEFAULTS[name])


def userscripts_root():
    return Path(setting("USERSCRIPTS_ROOT")).resolve()


def is_netbox():
    """True inside a real NetBox: its ``netbox.plugins`` package exists (this project's ``netbox`` has none)."""
    try:
        return importlib.util.find_spec("netbox.plugins") is not None
    except (ImportError, ValueError):
        return False
