# netbox-userscripts configuration, NetBox style: plain Python, UPPERCASE names.
# Set NETBOX_CONFIGURATION=/path/to/other.py to use another file. Every setting is
# optional; the values below are the defaults. A wrong type or an unusable path stops
# start-up with one line naming the setting.

# A Django database dict. Default: the embedded SQLite file data/netbox.sqlite3.
# PostgreSQL:
# DATABASE = {
#     "ENGINE": "django.db.backends.postgresql",
#     "NAME": "netbox", "USER": "netbox", "PASSWORD": "secret",
#     "HOST": "127.0.0.1", "PORT": 5432,
# }

# As in Django. SECRET_KEY defaults to a key generated once into data/secret_key.
# SECRET_KEY = "change-me"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False

# Anonymous users see nothing and run nothing. With False, anonymous users may read the
# API, and call over /userscript/ only the userscripts named in USERSCRIPTS_ANONYMOUS_CALLS;
# writes, jobs and other calls still need a login and permissions.
LOGIN_REQUIRED = True

# Userscripts anyone may call without a login, only with LOGIN_REQUIRED = False: ["free_ips"].
USERSCRIPTS_ANONYMOUS_CALLS = []

# The folder of userscripts: every NAME.py in it is loaded as userscripts.NAME.
# A relative path is taken from the repository's folder (the one holding sandbox/).
USERSCRIPTS_ROOT = "userscripts/"

# The central log file every userscript's logger writes to (folder created if needed).
USERSCRIPTS_LOG_FILE = "logs/userscripts.log"

# Rotate when the file would pass this many bytes; keep this many old files
# (userscripts.log.1 ... .N). Safe with several processes writing at once.
USERSCRIPTS_LOG_MAX_SIZE = 10485760
USERSCRIPTS_LOG_BACKUP_COUNT = 5

# The lowest level written to the central log: DEBUG, INFO, WARNING, ERROR or CRITICAL.
USERSCRIPTS_LOG_LEVEL = "INFO"

# Watch USERSCRIPTS_ROOT and reload a userscript within a second of a change.
USERSCRIPTS_AUTORELOAD = True

# Prometheus metrics of every hook at GET /metrics (docs/metrics.md), as NetBox's METRICS_ENABLED.
# A scraper reads them with "Authorization: Bearer <USERSCRIPTS_METRICS_TOKEN>", a staff user by logging in.
METRICS_ENABLED = False
# USERSCRIPTS_METRICS_TOKEN = "a-long-random-string"

# A receiver, call() or task running longer than this many seconds is named, with its stack,
# in its module's log while it still runs (0: never).
USERSCRIPTS_SLOW_HOOK_SECONDS = 5

# REST API: largest page (limit=0 means this) and the default page size.
MAX_PAGE_SIZE = 1000
PAGINATE_COUNT = 50
