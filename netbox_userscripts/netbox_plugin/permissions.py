"""The plugin's permissions inside NetBox: actions on the object type "Userscripts > userscript".

NetBox grants ``app_label.ACTION_model`` through its ObjectPermissions, so each action here
is the permission ``netbox_userscripts.ACTION_userscript``. ``call`` gives the same name
the engine checks everywhere (``call_userscript``); ``run`` and ``sync`` stand, inside
NetBox, for the project's Django permissions ``run_job`` and ``sync_userscripts``.
"""
VIEW = "netbox_userscripts.view_userscript"
CALL = "netbox_userscripts.call_userscript"
RUN = "netbox_userscripts.run_userscript"
SYNC = "netbox_userscripts.sync_userscript"

ACTIONS = {
    "call": "Call a userscript's call() over /userscript/",
    "run": "Run the scripts a userscript defines",
    "sync": "Sync the userscripts from their repository",
}
