"""The schedules' table: the last period each scheduled task was enqueued for (``scheduler`` moves it)."""
from django.db import models


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
