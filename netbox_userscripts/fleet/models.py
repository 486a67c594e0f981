"""The tables that many hosts share: the recorded version of the userscripts and the process table.

``SyncedVersion`` has one row per source (``"git"``): the commit every process runs, with its
files, so that a host materialises it from the database without reaching the repository,
and the outcome of the last attempt (a failed sync keeps the commit and says why).
``UserscriptProcess`` has one row per live process, refreshed by its heartbeat.
"""
from django.db import models


class SyncedVersion(models.Model):
    source = models.CharField(max_length=50, unique=True, help_text="Where the files come from: git")
    commit = models.CharField(max_length=64, blank=True, help_text="The version every process runs")
    files = models.JSONField(default=dict, help_text="{relative path: text} of that version")
    url = models.CharField(max_length=1000, blank=True)
    branch = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=1000, blank=True)
    synced = models.DateTimeField(null=True, blank=True, help_text="When the version was recorded")
    attempted = models.DateTimeField(null=True, blank=True, help_text="When a sync last ran")
    error = models.TextField(blank=True, help_text="Why the last sync failed (empty when it succeeded)")

    class Meta:
        default_permissions = ()
        permissions = [("sync_userscripts", "Can sync the userscripts from their repository")]

    def __str__(self):
        return f"{self.source} {self.commit[:12]}"


class UserscriptProcess(models.Model):
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    role = models.CharField(max_length=20, help_text="web, worker, rqworker or command")
    started = models.DateTimeField()
    version = models.CharField(max_length=64, blank=True, help_text="The commit, or a hash of the folder's files")
    loaded = models.JSONField(default=list, help_text="Names of the modules loaded")
    failed = models.JSONField(default=list, help_text="Names of the modules that failed")
    last_seen = models.DateTimeField()

    class Meta:
        default_permissions = ("view",)
        constraints = [models.UniqueConstraint(fields=["hostname", "pid", "started"], name="userscripts_process_once")]
        ordering = ["hostname", "pid"]

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.role})"
