# At the end of NetBox's configuration.py: the plugin and its two required settings.
PLUGINS = ["netbox_userscripts"]
PLUGINS_CONFIG = {
    "netbox_userscripts": {
        "USERSCRIPTS_ROOT": "/opt/netbox/userscripts",              # required, absolute
        "USERSCRIPTS_LOG_FILE": "/opt/netbox/logs/userscripts.log",  # required, absolute (folder created)
        # optional, as in Settings: USERSCRIPTS_LOG_MAX_SIZE, USERSCRIPTS_LOG_BACKUP_COUNT,
        # USERSCRIPTS_LOG_LEVEL, USERSCRIPTS_AUTORELOAD, USERSCRIPTS_ANONYMOUS_CALLS
    },
}
