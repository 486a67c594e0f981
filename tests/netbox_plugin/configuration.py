"""NetBox's ``configuration.py`` for the plugin tests: a real one, its values taken from the environment.

The harness (``tests/netbox_plugin/harness.py``) copies it to ``$NETBOX_ROOT/conf/`` and
sets ``NBTEST_*``: each test module runs NetBox on its own clone of the migrated database.
"""
import json
import os

ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("NBTEST_DB", "netbox"),
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": os.environ.get("NBTEST_PG_HOST", "127.0.0.1"),
        "PORT": os.environ.get("NBTEST_PG_PORT", "5432"),
        "CONN_MAX_AGE": 0,
    },
}
_redis = {
    "HOST": "127.0.0.1",
    "PORT": int(os.environ.get("NBTEST_REDIS_PORT", "6379")),
    "USERNAME": "",
    "PASSWORD": "",
    "SSL": False,
}
# A module may ask for Redis databases of its own (its REDIS_DATABASE): jobs queued there are taken
# only by its own rqworker, not by another NetBox's worker left on a shared development Redis.
_database = int(os.environ.get("NBTEST_REDIS_DATABASE", "0"))
# A module's Redis of its own for the task queues (TASKS_REDIS_OF_ITS_OWN), killed by its tests; caching stays shared.
_tasks_port = int(os.environ.get("NBTEST_TASKS_REDIS_PORT", _redis["PORT"]))
REDIS = {"tasks": {**_redis, "PORT": _tasks_port, "DATABASE": _database},
         "caching": {**_redis, "DATABASE": _database + 1}}
SECRET_KEY = "userscripts-plugin-tests-" + "x" * 40
API_TOKEN_PEPPERS = {1: "userscripts-plugin-tests-pepper-" + "y" * 20}
CENSUS_REPORTING_ENABLED = False
ISOLATED_DEPLOYMENT = True
DEBUG = False
# A test module's own NetBox settings (its NETBOX_SETTINGS, e.g. LOGIN_REQUIRED), as JSON.
globals().update(json.loads(os.environ.get("NBTEST_NETBOX_SETTINGS", "{}")))

if os.environ.get("NBTEST_PLUGIN", "1") == "1":
    PLUGINS = ["netbox_userscripts"]
    PLUGINS_CONFIG = {
        "netbox_userscripts": {
            "USERSCRIPTS_ROOT": os.environ.get("NBTEST_USERSCRIPTS_ROOT", "/nonexistent"),
            "USERSCRIPTS_LOG_FILE": os.environ.get("NBTEST_USERSCRIPTS_LOG", "/tmp/userscripts.log"),
            "USERSCRIPTS_AUTORELOAD": True,
        },
    }
    # A test module's own plugin settings (its PLUGIN_SETTINGS), as JSON.
    PLUGINS_CONFIG["netbox_userscripts"].update(json.loads(os.environ.get("NBTEST_PLUGIN_SETTINGS", "{}")))

if os.environ.get("NBTEST_BRANCHING") == "1":  # a module's NETBOX_BRANCHING: NetBox Labs' branching, as its docs say
    from netbox_branching.utilities import DynamicSchemaDict

    PLUGINS = [*globals().get("PLUGINS", []), "netbox_branching"]  # last, as branching requires
    DATABASES = DynamicSchemaDict(DATABASES)
    DATABASE_ROUTERS = ["netbox_branching.database.BranchAwareRouter"]
