"""The engine's permissions. Userscripts live in files and memory, not in the database."""
from django.db import models


class Userscript(models.Model):
    """No table: a holder for the permissions ``call_userscript`` and ``run_job``."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("call_userscript", "Can call a userscript over /userscript/"),
            ("run_job", "Can run a job"),
        ]
