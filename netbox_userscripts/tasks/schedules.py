"""Schedules of userscripts' tasks: ``@task(every=timedelta(...))`` and ``@task(cron="0 3 * * *")``.

A ``Schedule`` cuts time into periods: for ``every``, slots of that length counted from the
Unix epoch (so every host cuts them alike); for ``cron``, the intervals between two times
the expression names (croniter, in ``TIME_ZONE``). A period runs at most once, whatever
the number of workers and hosts: the worker that moves the task's ``TaskSchedule`` row to
the period, under a row lock, enqueues the run in the same transaction; the others find
the row already there. After a downtime only the current period is due, so a 5-minute
task runs once on restart, not once per missed period. A task seen for the first time
waits for its next period.
"""
import datetime as dt
from dataclasses import dataclass

from croniter import CroniterError, croniter
from django.utils import timezone

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)  # a cron is tried from here: the answer never varies
LONGEST = dt.timedelta(days=5 * 365 + 1)  # a schedule that does not fire within five years is a mistake


class ScheduleError(ValueError):
    """A schedule that cannot be: an ``every`` under a second or over five years, an unknown cron string, a
    cron that never fires, both at once."""


@dataclass(frozen=True)
class Schedule:
    every: dt.timedelta = None
    cron: str = None

    @classmethod
    def make(cls, every=None, cron=None):
        """The schedule of ``@task(every=..., cron=...)``, None without either; ``ScheduleError`` if wrong."""
        if every is None and cron is None:
            return None
        if every is not None and cron is not None:
            raise ScheduleError("@task takes every= or cron=, not both.")
        if every is not None:
            if not isinstance(every, dt.timedelta):
                raise ScheduleError(f"@task(every=...) must be a datetime.timedelta, got {type(every).__name__}.")
            if not dt.timedelta(seconds=1) <= every <= LONGEST:
                raise ScheduleError(f"@task(every=...) must be at least one second and at most {LONGEST.days} days "
                                    f"(five years), got {every}.")
            return cls(every=every)
        if not isinstance(cron, str) or not croniter.is_valid(cron):
            raise ScheduleError(f"@task(cron={cron!r}) is not a cron expression: give five fields, minute hour "
                                "day-of-month month day-of-week, such as '0 3 * * *' (every day at 03:00).")
        if not cls._fires(cron):
            raise ScheduleError(f"@task(cron={cron!r}) never fires: no date matches it in five years (a day the "
                                "month does not have, such as the 31st of February?).")
        return cls(cron=cron)

    @staticmethod
    def _fires(cron):
        """Whether ``cron`` names a time within five years after and before a fixed date (croniter gives up on
        a day no month has, such as 31 February, by raising)."""
        try:
            after = croniter(cron, FIXED_DATE).get_next(dt.datetime)
            before = croniter(cron, FIXED_DATE).get_prev(dt.datetime)
        except (CroniterError, OverflowError, ValueError):
            return False
        return after - FIXED_DATE <= LONGEST and FIXED_DATE - before <= LONGEST

    def period(self, now=None):
        """The start of the period ``now`` is in (an aware datetime)."""
        now = now or timezone.now()
        if self.every is not None:
            slots = (now - EPOCH) // self.every
            return EPOCH + slots * self.every
        local = timezone.localtime(now)
        return croniter(self.cron, local).get_prev(dt.datetime)

    def next_run(self, now=None):
        """When the next period starts."""
        now = now or timezone.now()
        if self.every is not None:
            return self.period(now) + self.every
        return croniter(self.cron, timezone.localtime(now)).get_next(dt.datetime)

    def skipped(self, last, current, at_most=1000):
        """How many periods began after ``last`` and before ``current`` (passed while no worker enqueued them)."""
        if current <= last:
            return 0
        if self.every is not None:
            return max(int((current - last) // self.every) - 1, 0)
        starts = croniter(self.cron, timezone.localtime(last))
        count = 0
        while count < at_most and starts.get_next(dt.datetime) < current:
            count += 1
        return count

    def describe(self):
        return f"every {self.every}" if self.every is not None else f"cron {self.cron}"
