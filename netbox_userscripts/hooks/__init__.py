"""Hooks: how a userscript's receivers are captured, guarded and called.

``context`` (the request being served), ``receivers`` (while a userscript imports,
``Signal.connect`` records its receivers as ``GuardedReceiver``s: a savepoint each,
tracebacks to the log, ``AbortEvent`` on ``pre_*`` vetoes), ``slots`` (one connected slot per
receiver position, calling the version in use). The signals themselves are declared in
``netbox_userscripts.signals``; the request signals are sent by ``netbox_userscripts.middleware``.
"""
