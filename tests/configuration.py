# Test configuration: an empty userscripts folder and a log file of its own, per process.
import os
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="userscripts-tests-"))
(_tmp / "userscripts").mkdir()

SECRET_KEY = "tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
LOGIN_REQUIRED = True
USERSCRIPTS_ROOT = str(_tmp / "userscripts")
USERSCRIPTS_LOG_FILE = str(_tmp / "logs" / "userscripts.log")
USERSCRIPTS_AUTORELOAD = False
USERSCRIPTS_LOG_LEVEL = "DEBUG"

# A test database in a file, not in memory: threads and processes in the load tests then
# wait for SQLite's lock as a real deployment does, instead of failing at once.
DATABASE = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(_tmp / "netbox.sqlite3"),
    "TEST": {"NAME": str(_tmp / "test.sqlite3")},
}

# `tests/pgserver.py run -- ...` points the suite at a throw-away PostgreSQL server.
if os.environ.get("USERSCRIPTS_TEST_POSTGRES"):
    _host, _port = os.environ["USERSCRIPTS_TEST_POSTGRES"].rsplit(":", 1)
    DATABASE = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "userscripts",
        "USER": "postgres",
        "HOST": _host,
        "PORT": int(_port),
    }
