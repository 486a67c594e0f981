"""Loading: userscript files become modules, the registry holds the version in use, the watcher reloads.

``loader`` (imports one file as ``userscripts.NAME``, never raises), ``registry`` (load, look
up, unload; one swap under a lock), ``reloader`` (watchdog on ``USERSCRIPTS_ROOT``, a reload
within a second).
"""
