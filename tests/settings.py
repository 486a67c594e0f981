"""Test settings: the project's, read from tests/configuration.py."""
import os
from pathlib import Path

os.environ["NETBOX_CONFIGURATION"] = str(Path(__file__).with_name("configuration.py"))

from netbox.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
