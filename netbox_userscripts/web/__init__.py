"""The engine's web front: ``calls`` (``/userscript/?script=NAME``) with ``arguments`` (its keyword
arguments), ``auth`` (who may call), ``origin`` (no cross-site session requests) and ``anonymous``
(``USERSCRIPTS_ANONYMOUS_CALLS``); ``pages`` (``/userscripts/``). The REST API is
``netbox_userscripts.api``, the job pages ``netbox_userscripts.jobs``."""
