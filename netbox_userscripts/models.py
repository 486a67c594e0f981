"""The engine's models: a row per userscript module here; the job results (``scripts/models.py``), the task
schedules (``tasks/models.py``), the hook costs (``metrics/models.py``) and the tables many hosts share
(``fleet/models.py``) beside their layers.

Userscripts live in files and memory; the ``Userscript`` rows mirror what the processes
loaded (``moduletable``), so that other tables can point at a module (NetBox's event rules)
and permissions can name one. Django finds an app's models in its ``models`` module, so the
layers' models are part of this one's public names.
"""

__all__ = ["HookStat", "JobResult", "JobStatusChoices", "SyncedVersion", "TaskOutbox", "TaskSchedule", "Userscript",
           "UserscriptProcess"]

from django.db import models

from netbox_userscripts.fleet.models import SyncedVersion, UserscriptProcess
from netbox_userscripts.metrics.models import HookStat
from netbox_userscripts.scripts.models import JobResult, JobStatusChoices
from netbox_userscripts.tasks.models import TaskOutbox, TaskSchedule


class Userscript(models.Model):
    """A userscript module as the processes running it recorded it; holds ``call_userscript`` and ``run_job``."""

    name = models.CharField(max_length=100, unique=True, help_text="The module name (its file without .py)")
    state = models.CharField(max_length=20, help_text="loaded, error, or deleted (its file is gone)")
    version = models.CharField(max_length=64, blank=True, help_text="The first 12 hex digits of the file's SHA-256")
    last_loaded = models.DateTimeField(null=True, blank=True, help_text="When a process last imported it")
    error = models.TextField(blank=True, help_text="Why it failed to load (state error)")

    class Meta:
        ordering = ["name"]
        default_permissions = ()
        permissions = [
            ("call_userscript", "Can call a userscript over /userscript/"),
            ("run_job", "Can run a job"),
        ]

    def __str__(self):
        return self.name
