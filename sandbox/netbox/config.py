"""Read the user's ``configuration.py`` (or ``$NETBOX_CONFIGURATION``) and check it.

Every setting of CONTRACT section 4 has a default and an expected type here. A wrong
type or an unusable path raises ``ConfigurationError`` with one line naming the setting,
before Django goes any further.
"""
import importlib.util
import os
import runpy
from pathlib import Path

from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from netbox.datadir import private_file, private_folder, secret_key
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitconf import git_source
from netbox_userscripts.log.stream import client_for
from netbox_userscripts.metrics.slowhooks import checked_threshold
from netbox_userscripts.web.anonymous import checked_anonymous_calls

SANDBOX_DIR = Path(__file__).resolve().parent.parent  # sandbox/: manage.py and the apps
BASE_DIR = SANDBOX_DIR.parent  # the repository: configuration.py, userscripts/, data/, logs/
DATA_DIR = BASE_DIR / "data"  # the SQLite database and the generated secret key: private to its owner


def _default_database():
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "netbox.sqlite3"),
    }


# name: (expected types, default factory)
SETTINGS = {
    "DATABASE": (dict, _default_database),
    "SQLITE_TIMEOUT": ((int, float), lambda: 20),
    "SECRET_KEY": (str, lambda: None),
    "ALLOWED_HOSTS": (list, lambda: ["127.0.0.1", "localhost"]),
    "DEBUG": (bool, lambda: False),
    "LOGIN_REQUIRED": (bool, lambda: True),
    "USERSCRIPTS_ANONYMOUS_CALLS": ((list, tuple), lambda: []),
    "TIME_ZONE": (str, lambda: "UTC"),
    "USERSCRIPTS_ROOT": ((str, os.PathLike), lambda: str(BASE_DIR / "userscripts")),
    "USERSCRIPTS_LOG_FILE": ((str, os.PathLike), lambda: str(BASE_DIR / "logs" / "userscripts.log")),
    "USERSCRIPTS_LOG_MAX_SIZE": (int, lambda: 10 * 1024 * 1024),
    "USERSCRIPTS_LOG_BACKUP_COUNT": (int, lambda: 5),
    "USERSCRIPTS_LOG_LEVEL": (str, lambda: "INFO"),
    "USERSCRIPTS_AUTORELOAD": (bool, lambda: True),
    "USERSCRIPTS_GIT": (dict, lambda: None),
    "USERSCRIPTS_GIT_MAX_FILES": (int, lambda: 1000),
    "USERSCRIPTS_GIT_MAX_BYTES": (int, lambda: 50 * 1024 * 1024),
    "USERSCRIPTS_LOG_STREAM": (str, lambda: None),
    "USERSCRIPTS_LOG_STREAM_MAX": (int, lambda: 100000),
    "METRICS_ENABLED": (bool, lambda: False),
    "USERSCRIPTS_METRICS_TOKEN": (str, lambda: None),
    "USERSCRIPTS_SLOW_HOOK_SECONDS": ((int, float), lambda: 5),
    "TASKS": (dict, lambda: {"default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend"}}),
    "REDIS": (dict, lambda: None),
    "MAX_PAGE_SIZE": (int, lambda: 1000),
    "PAGINATE_COUNT": (int, lambda: 50),
}

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def configuration_path():
    return Path(os.environ.get("NETBOX_CONFIGURATION") or BASE_DIR / "configuration.py")


def load_configuration(path=None):
    """Return the checked settings as a dict of UPPERCASE names."""
    path = Path(path or configuration_path())
    if not path.is_file():
        raise ConfigurationError(
            f"Configuration file {path} does not exist (set NETBOX_CONFIGURATION to another file).")
    try:
        namespace = runpy.run_path(str(path))
    except Exception as exc:  # a syntax error or an exception in the user's file
        raise ConfigurationError(f"{path.name}: cannot be read: {exc.__class__.__name__}: {exc}") from exc
    values = {k: v for k, v in namespace.items() if k.isupper()}
    config = {}
    for name, (types, default) in SETTINGS.items():
        value = values.pop(name, None)
        if value is None:
            value = default()
        elif not isinstance(value, types) or (types is int and isinstance(value, bool)):
            expected = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
            raise ConfigurationError(
                f"{path.name}: {name} must be of type {expected}, got {type(value).__name__} {value!r}."
            )
        config[name] = value
    config.update(values)  # other Django settings pass through unchanged
    _check_values(config, path.name)
    return config


def _check_values(config, filename):
    for name in ("USERSCRIPTS_LOG_MAX_SIZE", "USERSCRIPTS_LOG_BACKUP_COUNT", "MAX_PAGE_SIZE", "PAGINATE_COUNT",
                 "USERSCRIPTS_LOG_STREAM_MAX", "USERSCRIPTS_GIT_MAX_FILES", "USERSCRIPTS_GIT_MAX_BYTES"):
        if config[name] < (1 if name != "USERSCRIPTS_LOG_BACKUP_COUNT" else 0):
            raise ConfigurationError(f"{filename}: {name} must be a positive integer, got {config[name]}.")
    timeout = config["SQLITE_TIMEOUT"]
    if isinstance(timeout, bool) or not 0 < timeout <= 3600:
        raise ConfigurationError(f"{filename}: SQLITE_TIMEOUT must be a number of seconds from 0 to 3600 (0 excluded), "
                                 f"got {timeout!r}.")
    level = config["USERSCRIPTS_LOG_LEVEL"] = config["USERSCRIPTS_LOG_LEVEL"].upper()
    if level not in LOG_LEVELS:
        raise ConfigurationError(
            f"{filename}: USERSCRIPTS_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}.")
    try:
        checked_anonymous_calls(config["USERSCRIPTS_ANONYMOUS_CALLS"])
        git_source(config["USERSCRIPTS_GIT"] or {})
        checked_threshold(config["USERSCRIPTS_SLOW_HOOK_SECONDS"])
        if config["USERSCRIPTS_LOG_STREAM"]:
            client_for(config["USERSCRIPTS_LOG_STREAM"])
    except ConfigurationError as exc:
        raise ConfigurationError(f"{filename}: {exc}") from None
    root = Path(config["USERSCRIPTS_ROOT"]).expanduser()
    if not root.is_absolute():
        root = BASE_DIR / root
    if not root.is_dir():
        raise ConfigurationError(f"{filename}: USERSCRIPTS_ROOT {root} is not a directory.")
    config["USERSCRIPTS_ROOT"] = str(root)
    log_file = Path(config["USERSCRIPTS_LOG_FILE"]).expanduser()
    if not log_file.is_absolute():
        log_file = BASE_DIR / log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"{filename}: USERSCRIPTS_LOG_FILE {log_file}: cannot create its folder ({exc.strerror}).") from exc
    writable = os.access(log_file.parent, os.W_OK) and not (log_file.exists() and not os.access(log_file, os.W_OK))
    if log_file.is_dir() or not writable:
        raise ConfigurationError(f"{filename}: USERSCRIPTS_LOG_FILE {log_file} is not a writable file.")
    config["USERSCRIPTS_LOG_FILE"] = str(log_file)
    _check_tasks(config, filename)
    database = config["DATABASE"]
    if "ENGINE" not in database or "NAME" not in database:
        raise ConfigurationError(f"{filename}: DATABASE must be a Django database dict with ENGINE and NAME.")
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] != ":memory:":
        sqlite_file = Path(database["NAME"])
        if sqlite_file.parent == DATA_DIR:
            private_folder(DATA_DIR)
        else:  # the user's own folder: made private when made here, never changed when it exists
            sqlite_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        private_file(sqlite_file)  # it holds the API tokens
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = secret_key(private_folder(DATA_DIR) / "secret_key")


def uses_rq(tasks):
    """Whether a backend of the ``TASKS`` setting is RQ's (``django-tasks-rq``)."""
    return any(str(backend.get("BACKEND", "")).startswith("django_tasks_rq.") for backend in tasks.values()
               if isinstance(backend, dict))


# The engine's database backend before its modules were grouped by layer: still accepted, read as the new one.
RENAMED_BACKENDS = {"netbox_userscripts.taskdb.DatabaseBackend": "netbox_userscripts.tasks.backend.DatabaseBackend"}


def _check_tasks(config, filename):
    tasks = config["TASKS"]
    if "default" not in tasks or not isinstance(tasks["default"], dict) or "BACKEND" not in tasks["default"]:
        raise ConfigurationError(f"{filename}: TASKS must be Django's setting: {{'default': "
                                 "{'BACKEND': 'netbox_userscripts.tasks.backend.DatabaseBackend'}} or an RQ backend.")
    for backend in tasks.values():
        if isinstance(backend, dict) and backend.get("BACKEND") in RENAMED_BACKENDS:
            backend["BACKEND"] = RENAMED_BACKENDS[backend["BACKEND"]]
    if not uses_rq(tasks):
        return
    if importlib.util.find_spec("django_tasks_rq") is None:
        raise ConfigurationError(f"{filename}: TASKS names django_tasks_rq, which is not installed "
                                 "(pip install django-tasks-rq).")
    redis = config["REDIS"] or {}
    if not isinstance(redis.get("tasks"), dict):
        raise ConfigurationError(f"{filename}: REDIS must say where the Redis of TASKS' RQ backend is, NetBox's "
                                 "way: REDIS = {'tasks': {'HOST': 'localhost', 'PORT': 6379, 'DATABASE': 0}}.")
    port = redis["tasks"].get("PORT", 6379)
    if isinstance(port, bool) or not isinstance(port, int):
        raise ConfigurationError(f"{filename}: REDIS['tasks']['PORT'] must be a whole number, got {port!r}.")


def rq_queues(redis_tasks, names=("high", "default", "low")):
    """django-rq's ``RQ_QUEUES`` from NetBox's ``REDIS["tasks"]``: NetBox's three queues on that Redis."""
    connection = {
        "HOST": redis_tasks.get("HOST", "localhost"),
        "PORT": redis_tasks.get("PORT", 6379),
        "DB": redis_tasks.get("DATABASE", 0),
        "USERNAME": redis_tasks.get("USERNAME") or None,
        "PASSWORD": redis_tasks.get("PASSWORD") or None,
        "SSL": redis_tasks.get("SSL", False),
        "DEFAULT_TIMEOUT": redis_tasks.get("DEFAULT_TIMEOUT", 300),
        # RQ keeps a finished run for this many seconds: the run list reads them there
        "DEFAULT_RESULT_TTL": redis_tasks.get("RESULT_TTL", 24 * 3600),
        # a Redis that is down or stalls is a bounded failure (CONTRACT 9): seconds to connect and to answer,
        # one quick retry (redis-py's default three, backing off up to 10 s, held a request ~4 s)
        "REDIS_CLIENT_KWARGS": {"socket_connect_timeout": redis_tasks.get("CONNECT_TIMEOUT", 2),
                                "socket_timeout": redis_tasks.get("SOCKET_TIMEOUT", 5),
                                "retry": Retry(ExponentialBackoff(cap=0.2, base=0.05), 1)},
    }
    return {name: dict(connection) for name in names}

