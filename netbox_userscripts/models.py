"""The engine's permissions and job results. Userscripts live in files and memory, not in the database."""
from django.db import models

from netbox_userscripts.jobs.models import JobResult, JobStatusChoices  # noqa: F401  (registered here)


class Userscript(models.Model):
    """No table: a holder for the permissions ``call_userscript`` and ``run_job``."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("call_userscript", "Can call a userscript over /userscript/"),
            ("run_job", "Can run a job"),
        ]
