"""The engine's models: a row per userscript module, task schedules, the job results (``jobs/models.py``),
and the tables many hosts share (``fleet/models.py``).

Userscripts live in files and memory; the ``Userscript`` rows mirror what the processes
loaded (``moduletable``), so that other tables can point at a module (NetBox's event rules)
and permissions can name one. Django finds an app's models in its ``models`` module, so the
jobs' models are part of this one's public names.
"""

__all__ = ["JobResult", "JobStatusChoices", "SyncedVersion", "TaskSchedule", "Userscript", "UserscriptProcess"]

from django.db import models

from netbox_userscripts.fleet.models import SyncedVersion, UserscriptProcess
from netbox_userscripts.jobs.models import JobResult, JobStatusChoices


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


class TaskSchedule(models.Model):
    """The last period a scheduled task was enqueued for: one row per task, moved under a row lock."""

    task_path = models.CharField(max_length=255, unique=True, help_text="userscripts.MODULE.FUNCTION")
    schedule = models.CharField(max_length=255, help_text="every 0:05:00, cron 0 3 * * *")
    last_period = models.DateTimeField(help_text="The start of the last period enqueued (or skipped at first sight)")
    last_run_at = models.DateTimeField(null=True, blank=True, help_text="When the last run was enqueued")
    last_result_id = models.CharField(max_length=64, blank=True, help_text="The task result of the last run")

    class Meta:
        ordering = ["task_path"]

    def __str__(self):
        return f"{self.task_path} ({self.schedule})"
