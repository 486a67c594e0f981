"""A bad configuration.py stops start-up with one line naming the setting."""
import subprocess

import pytest

from tests.project import MANAGE, PROJECT, environment
from tests.stallserver import stalling_server


def run_manage(config_text, tmp_path, *args):
    config = tmp_path / "bad_configuration.py"
    config.write_text(config_text)
    return subprocess.run([*MANAGE, *(args or ["check"])], cwd=PROJECT, env=environment(config),
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("text, setting", [
    ("USERSCRIPTS_LOG_MAX_SIZE = '10MB'", "USERSCRIPTS_LOG_MAX_SIZE"),
    ("USERSCRIPTS_LOG_BACKUP_COUNT = 2.5", "USERSCRIPTS_LOG_BACKUP_COUNT"),
    ("LOGIN_REQUIRED = 'yes'", "LOGIN_REQUIRED"),
    ("USERSCRIPTS_AUTORELOAD = 1", "USERSCRIPTS_AUTORELOAD"),
    ("USERSCRIPTS_ANONYMOUS_CALLS = 'free_ips'", "USERSCRIPTS_ANONYMOUS_CALLS"),
    ("USERSCRIPTS_ANONYMOUS_CALLS = ['free_ips', 3]", "USERSCRIPTS_ANONYMOUS_CALLS"),
    ("USERSCRIPTS_ANONYMOUS_CALLS = ['../settings']", "USERSCRIPTS_ANONYMOUS_CALLS"),
    ("USERSCRIPTS_LOG_LEVEL = 'LOUD'", "USERSCRIPTS_LOG_LEVEL"),
    ("ALLOWED_HOSTS = 'localhost'", "ALLOWED_HOSTS"),
    ("USERSCRIPTS_ROOT = '/no/such/folder'", "USERSCRIPTS_ROOT"),
    ("USERSCRIPTS_LOG_FILE = '/proc/version/userscripts.log'", "USERSCRIPTS_LOG_FILE"),
    ("USERSCRIPTS_LOG_FILE = '/'", "USERSCRIPTS_LOG_FILE"),
    ("DATABASE = {'NAME': 'x'}", "DATABASE"),
    ("USERSCRIPTS_LOG_MAX_SIZE = 0", "USERSCRIPTS_LOG_MAX_SIZE"),
    ("SQLITE_TIMEOUT = 0", "SQLITE_TIMEOUT"),
    ("SQLITE_TIMEOUT = '5'", "SQLITE_TIMEOUT"),
    ("SQLITE_TIMEOUT = True", "SQLITE_TIMEOUT"),
    ("USERSCRIPTS_GIT = {'url': 'https://git.example.org/u.git', 'password_file': '/no/such/token'}",
     "USERSCRIPTS_GIT password_file"),
    ("USERSCRIPTS_GIT = {'url': 'https://git.example.org/u.git', 'token': 'x'}", "USERSCRIPTS_GIT has unknown keys"),
    ("USERSCRIPTS_GIT_MAX_FILES = 0", "USERSCRIPTS_GIT_MAX_FILES"),
    ("USERSCRIPTS_GIT_MAX_BYTES = '50MB'", "USERSCRIPTS_GIT_MAX_BYTES"),
    ("TASKS = {'other': {}}", "TASKS"),
    ("TASKS = {'default': {'BACKEND': 'django_tasks_rq.RQBackend'}}", "REDIS"),
    ("TASKS = {'default': {'BACKEND': 'django_tasks_rq.RQBackend'}}\nREDIS = {'tasks': {'PORT': '6379'}}", "REDIS"),
])
def test_bad_setting_is_one_line_naming_it(tmp_path, text, setting):
    result = run_manage(text + "\n", tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: bad_configuration.py: " + setting)
    assert "Traceback" not in result.stderr


def test_a_file_that_does_not_run_is_one_line(tmp_path):
    result = run_manage("DEBUG = (\n", tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "bad_configuration.py: cannot be read: SyntaxError" in result.stderr


def test_good_configuration_starts(tmp_path):
    root = tmp_path / "scripts"
    root.mkdir()
    result = run_manage(f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(tmp_path / 'l' / 'u.log')!r}\n"
                        f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', "
                        f"'NAME': {str(tmp_path / 'db.sqlite3')!r}}}\n",
                        tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "l").is_dir()


def test_the_database_backends_path_before_the_layers_still_works(tmp_path):
    """A configuration.py written for 0.1 names the backend ``netbox_userscripts.taskdb.DatabaseBackend``."""
    code = ("from django.conf import settings; from netbox_userscripts.tasks import task_backends; "
            "print(settings.TASKS['default']['BACKEND'], type(task_backends['default']).__module__)")
    result = run_manage(f"USERSCRIPTS_ROOT = {str(PROJECT / 'userscripts')!r}\n"
                        f"USERSCRIPTS_LOG_FILE = {str(tmp_path / 'u.log')!r}\n"
                        "TASKS = {'default': {'BACKEND': 'netbox_userscripts.taskdb.DatabaseBackend'}}\n",
                        tmp_path, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    backend, module = result.stdout.splitlines()[-1].split()
    assert backend == f"{module}.DatabaseBackend" and module == "netbox_userscripts.tasks.backend"


def test_the_redis_of_the_rq_backend_has_socket_timeouts(tmp_path):
    """A Redis that accepts and never answers: a command fails in seconds, the process does not hang."""
    with stalling_server() as (url, accepted):
        port = url.split(":")[2].split("/")[0]
        result = run_manage(f"TASKS = {{'default': {{'BACKEND': 'django_tasks_rq.RQBackend'}}}}\n"
                            f"REDIS = {{'tasks': {{'HOST': '127.0.0.1', 'PORT': {port}}}}}\n"
                            f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', "
                            f"'NAME': {str(tmp_path / 'db.sqlite3')!r}}}\n", tmp_path,
                            "shell", "-c", "import django_rq, redis\ntry:\n    django_rq.get_connection().ping()\n"
                                           "except redis.TimeoutError as exc:\n    print('timed out:', exc)")
    assert accepted, "the client never reached the server"
    assert result.returncode == 0 and "timed out: Timeout reading from 127.0.0.1" in result.stdout, result.stderr
