"""The tasks' tables: the schedules (``scheduler`` moves them) and the outbox (``outbox`` hands it over)."""
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


class TaskOutbox(models.Model):
    """A task enqueued on a backend outside the database (RQ), written in the caller's transaction.

    The row commits or rolls back with the work that enqueued the task; ``outbox`` hands it to
    the backend after the commit under its id (the RQ job's id) and deletes it once the
    backend has it. A row still here is a task waiting for its queue (Redis down).
    """

    id = models.CharField(primary_key=True, max_length=64, help_text="The task result's id, the RQ job's id")
    backend = models.CharField(max_length=64, help_text="The TASKS alias it was enqueued on")
    task_path = models.CharField(max_length=255, help_text="userscripts.MODULE.FUNCTION")
    queue_name = models.CharField(max_length=64)
    priority = models.IntegerField(default=0)
    run_after = models.DateTimeField(null=True, blank=True)
    args_kwargs = models.JSONField(help_text='{"args": [...], "kwargs": {...}}')
    enqueued_at = models.DateTimeField(help_text="When the transaction that enqueued it wrote it")
    claimed_until = models.DateTimeField(null=True, blank=True,
                                         help_text="A process is handing it over until then; none: free to take")
    attempts = models.PositiveIntegerField(default=0, help_text="Hand-offs tried")
    last_error = models.TextField(blank=True, help_text="Why the last hand-off failed")

    class Meta:
        ordering = ["enqueued_at"]

    def __str__(self):
        return f"{self.task_path} ({self.id})"
