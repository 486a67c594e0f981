"""Where the repository's parts are, for the tests that start processes of the sandbox project.

The engine is installed (``pip install -e .``); the sandbox's apps import as NetBox's do
(``from dcim.models import Device``) because ``sandbox/`` is on the path: first on
``sys.path`` of ``sandbox/manage.py``, on pytest's ``pythonpath`` (``pyproject.toml``), and
on ``PYTHONPATH`` of the other processes a test starts (``environment``).
"""
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent  # the repository: configuration.py, userscripts/
SANDBOX = PROJECT / "sandbox"  # the NetBox-like project: manage.py, netbox, dcim, ...
MANAGE = [sys.executable, str(SANDBOX / "manage.py")]  # a command's start: [*MANAGE, "migrate"]


def environment(config, **extra):
    """The environment of a sandbox process that reads the configuration file ``config``."""
    return {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings",
            "PYTHONPATH": str(SANDBOX), **extra}
