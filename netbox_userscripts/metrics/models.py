"""``HookStat``: what each receiver, ``call()``, job and task cost in one minute, summed over every process.

One row per (minute, kind, module, name, signal, sender), whichever process or host ran it:
each process adds its tallies to the row with increments in SQL (``store``), so rows do not
multiply with processes, and the page's hour is at most 60 rows per receiver. The duration
sketch is one column per fixed bucket (``window.BUCKETS``), so the database itself sums the
sketches of an hour (``SUM(b0)``, ...), and no row is read back into Python to merge them.
Rows older than ``KEEP_DAYS`` are deleted by the heartbeat's chore.
"""
from django.db import models

from netbox_userscripts.metrics.window import BUCKET_FIELDS


class HookStat(models.Model):
    minute = models.IntegerField(help_text="Unix time in minutes (seconds // 60) of the calls counted")
    kind = models.CharField(max_length=10, help_text="receiver, call, job or task")
    module = models.CharField(max_length=100)
    name = models.CharField(max_length=200, help_text="The receiver's function, call, the job or the task")
    signal = models.CharField(max_length=100, blank=True)
    sender = models.CharField(max_length=200, blank=True, help_text="The model listened to, * for any")
    calls = models.PositiveBigIntegerField(default=0)
    errors = models.PositiveBigIntegerField(default=0)
    vetoes = models.PositiveBigIntegerField(default=0)
    seconds = models.FloatField(default=0.0, help_text="Total duration of the calls")
    largest = models.FloatField(default=0.0, help_text="The longest call")

    class Meta:
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["minute", "kind", "module", "name", "signal", "sender"],
                                               name="userscripts_hookstat_once")]

    def __str__(self):
        return f"{self.module}.{self.name} at minute {self.minute}"


for _field in BUCKET_FIELDS:  # one count per bucket of ``window.UPPER_BOUNDS``: summed by the database
    HookStat.add_to_class(_field, models.PositiveBigIntegerField(default=0))
