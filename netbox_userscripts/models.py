"""The engine's models: a holder for its permissions, task schedules, the job results (``jobs/models.py``),
and the tables many hosts share (``fleet/models.py``).

Userscripts live in files and memory, not in the database. Django finds an app's models in
its ``models`` module, so the jobs' models are part of this one's public names.
"""

__all__ = ["JobResult", "JobStatusChoices", "SyncedVersion", "TaskSchedule", "Userscript", "UserscriptProcess"]

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
