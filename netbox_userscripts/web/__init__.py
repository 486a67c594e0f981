"""The engine's web front: ``calls`` (``/userscript/?script=NAME``), ``auth`` (who may call), ``pages``
(``/userscripts/``). The REST API is ``netbox_userscripts.api``, the job pages ``netbox_userscripts.jobs``."""
