"""The engine's models: a holder for its permissions, the job results (``jobs/models.py``), and the
tables many hosts share (``fleet/models.py``).

Userscripts live in files and memory, not in the database. Django finds an app's models in
its ``models`` module, so the jobs' models are part of this one's public names.
"""

__all__ = ["JobResult", "JobStatusChoices", "SyncedVersion", "Userscript", "UserscriptProcess"]

from django.db import models

from netbox_userscripts.fleet.models import SyncedVersion, UserscriptProcess
from netbox_userscripts.jobs.models import JobResult, JobStatusChoices


class Userscript(models.Model):
    """No table: a holder for the permissions ``call_userscript`` and ``run_job``."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("call_userscript", "Can call a userscript over /userscript/"),
            ("run_job", "Can run a job"),
        ]
