"""``JobResult``: the record of one run of a job, kept whatever the job did to the database.

The log is stored with the result as a JSON list (one write per run, none per entry):
``{"time", "grouping", "level", "message", "object", "object_type", "object_id"}``;
``entries()`` adds each object's ``url`` when the log is read. Registered in the
``netbox_userscripts`` app through ``netbox_userscripts/models.py``.

A result is written as ``running`` with the ``hostname`` and ``pid`` of the process that
runs the job, before the job's transaction begins. A process killed half way (SIGKILL, OOM
killer, power loss) never updates it, so ``sweep_abandoned()``, called when a job starts and
by ``manage.py sweep_jobresults``, marks ``errored`` every ``running`` result of this host
whose process no longer exists. A result of another host is left alone: its process cannot
be seen from here.

A background run (``jobs.background``) is first ``pending`` (or ``scheduled`` until
``scheduled``), with ``task_id`` naming the task that runs it; ``interval`` makes it recur.
"""
import os
import socket

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from netbox_userscripts.log import central as central_log
from netbox_userscripts.scripts.links import entry_url

ABANDONED_MESSAGE = "The process running this job ended before it finished (killed or crashed)."


class JobStatusChoices(models.TextChoices):
    PENDING = "pending", "Pending"
    SCHEDULED = "scheduled", "Scheduled"
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
    hostname = models.CharField(max_length=255, blank=True, help_text="The host of the process that ran the job")
    pid = models.PositiveIntegerField(null=True, blank=True, help_text="The id of the process that ran the job")
    scheduled = models.DateTimeField(null=True, blank=True, help_text="When a background run is due (schedule_at)")
    interval = models.PositiveIntegerField(null=True, blank=True, help_text="Minutes between runs of a recurring job")
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task that runs it")

    class Meta:
        app_label = "netbox_userscripts"
        ordering = ["-created", "-pk"]
        verbose_name = "job result"

    def __str__(self):
        return f"{self.job_name} #{self.pk} ({self.status})"

    def get_absolute_url(self):
        return reverse("jobs:result", args=[self.pk])

    @property
    def queued(self):
        """Waiting for a worker: a background run not started yet."""
        return self.status in (JobStatusChoices.PENDING, JobStatusChoices.SCHEDULED)

    @property
    def finished(self):
        return self.status in (JobStatusChoices.COMPLETED, JobStatusChoices.FAILED, JobStatusChoices.ERRORED)

    @property
    def duration(self):
        """Seconds from start to end, or None while running."""
        if self.started and self.completed:
            return (self.completed - self.started).total_seconds()
        return None

    @classmethod
    def sweep_abandoned(cls):
        """Mark ``errored`` the ``running`` results of this host whose process has ended; returns how many.

        One indexed query when nothing runs. A pid reused by a new process keeps its result
        ``running`` until that process ends too.
        """
        host = this_host()
        running = cls.objects.filter(status=JobStatusChoices.RUNNING, hostname=host, pid__isnull=False)
        swept = 0
        for pk, pid, job_name, log in running.values_list("pk", "pid", "job_name", "log"):
            if process_exists(pid):
                continue
            now = timezone.now()
            entry = failure_entry(now, ABANDONED_MESSAGE)
            trace = (f"{ABANDONED_MESSAGE}\nProcess {pid} on {host} no longer exists; the database rolled back "
                     "the job's transaction if it was still open.\n")
            # status=running again: the process may have finished it between the two queries
            updated = cls.objects.filter(pk=pk, status=JobStatusChoices.RUNNING).update(
                status=JobStatusChoices.ERRORED, completed=now, traceback=trace, log=list(log or []) + [entry])
            swept += updated
            if updated:
                module, _, class_name = job_name.partition(".")
                central_log.logger_for(module).error("%s [run] failure: %s (job result #%s, process %s)",
                                                     class_name, ABANDONED_MESSAGE, pk, pid)
        return swept

    def entries(self):
        """The log entries, each with the ``url`` of its object (None without one)."""
        return [dict(entry, url=entry_url(entry)) for entry in self.log]

    def groupings(self):
        """``[(grouping, [entries with url])]`` in the order the groupings first logged."""
        groups = {}
        for entry in self.entries():
            groups.setdefault(entry.get("grouping") or "run", []).append(entry)
        return list(groups.items())


def failure_entry(moment, message):
    """A log entry of level failure in grouping ``run``, for a run the engine ended."""
    return {"time": moment.isoformat(), "grouping": "run", "level": "failure", "message": message,
            "object": None, "object_type": None, "object_id": None}


def this_host():
    """The name recorded in ``JobResult.hostname`` for jobs run by this process."""
    return socket.gethostname()[:255]


def process_exists(pid):
    """Whether process ``pid`` exists on this host (a process of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:  # not a pid this system can have
        return False
    return True
