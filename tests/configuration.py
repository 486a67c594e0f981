# Test configuration: an empty userscripts folder and a log file of its own, per process.
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
