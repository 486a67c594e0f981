"""``JobResult``: the record of one run of a job, kept whatever the job did to the database.

The log is stored with the result as a JSON list (one write per run, none per entry):
``{"time", "grouping", "level", "message", "object", "object_type", "object_id"}``;
``entries()`` adds each object's ``url`` when the log is read. Registered in the
``netbox_userscripts`` app through ``netbox_userscripts/models.py``.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse


class JobStatusChoices(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    ERRORED = "errored", "Errored"


class JobResult(models.Model):
    class_path = models.CharField(max_length=255, db_index=True, help_text="local/MODULE/ClassName")
    job_name = models.CharField(max_length=255, db_index=True, help_text="MODULE.ClassName (NetBox's name)")
    name = models.CharField(max_length=255, blank=True, help_text="The job's display name when it ran")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    status = models.CharField(max_length=16, choices=JobStatusChoices.choices, default=JobStatusChoices.PENDING,
                              db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    completed = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="The input, as JSON")
    commit = models.BooleanField(default=False)
    log = models.JSONField(default=list, blank=True)
    output = models.TextField(blank=True)
    traceback = models.TextField(blank=True)

    class Meta:
        app_label = "netbox_userscripts"
        ordering = ["-created", "-pk"]
        verbose_name = "job result"

    def __str__(self):
        return f"{self.job_name} #{self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("jobs:result", args=[self.pk])

    @property
    def finished(self):
        return self.status in (JobStatusChoices.COMPLETED, JobStatusChoices.FAILED, JobStatusChoices.ERRORED)

    @property
    def duration(self):
        """Seconds from start to end, or None while running."""
        if self.started and self.completed:
            return (self.completed - self.started).total_seconds()
        return None

    def entries(self):
        """The log entries, each with the ``url`` of its object (None without one)."""
        from netbox_userscripts.jobs.base import entry_url

        return [dict(entry, url=entry_url(entry)) for entry in self.log]

    def groupings(self):
        """``[(grouping, [entries with url])]`` in the order the groupings first logged."""
        groups = {}
        for entry in self.entries():
            groups.setdefault(entry.get("grouping") or "run", []).append(entry)
        return list(groups.items())
