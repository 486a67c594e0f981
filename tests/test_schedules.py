"""Scheduled tasks in process: schedule checks, periods, once per period, downtime, hot reload."""
import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from netbox_userscripts.models import TaskSchedule
from netbox_userscripts.tasks import scheduler
from netbox_userscripts.tasks.schedules import Schedule, ScheduleError

UTC = dt.timezone.utc
SCRIPT = """
from datetime import timedelta

from netbox_userscripts.tasks import task


@task(every=timedelta(minutes={minutes}))
def sweep():
    return "swept"


@task(cron="0 3 * * *")
def nightly():
    return "night"
"""


@pytest.mark.parametrize("kwargs, message", [
    ({"every": dt.timedelta(milliseconds=500)},
     r"at least one second and at most 1826 days \(five years\), got 0:00:00.500000"),
    ({"every": 5}, r"must be a datetime.timedelta, got int"),
    ({"cron": "at night"}, r"cron='at night'\) is not a cron expression: give five fields"),
    ({"cron": "0 3 * *", "every": dt.timedelta(minutes=1)}, "not both"),
    ({"cron": "0 0 31 2 *"}, r"cron='0 0 31 2 \*'\) never fires: no date matches it in five years"),
    ({"cron": "0 0 31 4 *"}, "never fires"),
    ({"every": dt.timedelta(days=10**6)}, r"at most 1826 days \(five years\), got 1000000 days"),
])
def test_a_wrong_schedule_is_refused_with_what_to_give(kwargs, message):
    with pytest.raises(ScheduleError, match=message):
        Schedule.make(**kwargs)


def test_a_wrong_schedule_fails_the_module_load_with_that_message(userscripts):
    userscripts.write("bad.py", "from netbox_userscripts.tasks import task\n\n@task(cron='nope')\ndef f():\n    pass\n")
    script = userscripts.load().get("bad")
    assert not script.loaded
    assert "ScheduleError: task f of userscripts.bad: @task(cron='nope') is not a cron expression" in script.error


def test_a_schedule_that_never_fires_fails_the_module_load_and_the_page_still_answers(userscripts, db, client,
                                                                                     superuser):
    userscripts.write("feb.py", "from netbox_userscripts.tasks import task\n\n"
                                "@task(cron='0 0 31 2 *')\ndef report():\n    pass\n")
    script = userscripts.load().get("feb")
    assert not script.loaded
    assert "task report of userscripts.feb: @task(cron='0 0 31 2 *') never fires" in script.error
    assert scheduler.tick() == []  # nothing of it is scheduled
    client.force_login(superuser)
    page = client.get("/userscripts/")
    assert page.status_code == 200 and "never fires" in page.content.decode()


def test_a_failing_task_does_not_keep_the_scheduler_from_the_tasks_after_it(userscripts, db, caplog):
    userscripts.write("first.py", SCRIPT.format(minutes=5).replace("def sweep", "def aaa"))
    userscripts.write("second.py", SCRIPT.format(minutes=5))
    userscripts.load()
    start = dt.datetime(2026, 12, 2, 14, 0, tzinfo=UTC)
    scheduler.tick(start)  # first sight: the rows are written
    broken = dict(scheduler.scheduled_tasks())["userscripts.first.aaa"]
    # a schedule made past the checks: its period cannot be computed, the tick raises for this task only
    object.__setattr__(broken, "schedule", Schedule(cron="0 0 31 2 *"))
    tick = scheduler.tick(start + dt.timedelta(minutes=6))
    assert "userscripts.second.sweep" in tick and "userscripts.first.aaa" not in tick
    assert "userscripts task scheduler (enqueueing a due period) failed: CroniterBadDateError" in caplog.text


def test_periods_of_every_and_cron(settings):
    settings.TIME_ZONE = "UTC"
    now = dt.datetime(2026, 12, 2, 14, 7, 31, tzinfo=UTC)
    five = Schedule.make(every=dt.timedelta(minutes=5))
    assert five.period(now) == dt.datetime(2026, 12, 2, 14, 5, tzinfo=UTC)
    assert five.next_run(now) == dt.datetime(2026, 12, 2, 14, 10, tzinfo=UTC)
    night = Schedule.make(cron="0 3 * * *")
    assert night.period(now) == dt.datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    assert night.next_run(now) == dt.datetime(2026, 12, 3, 3, 0, tzinfo=UTC)


def test_each_period_once_and_once_after_a_downtime(userscripts, db):
    userscripts.load_module("housekeeping", SCRIPT.format(minutes=5))
    start = dt.datetime(2026, 12, 2, 14, 7, tzinfo=UTC)
    assert scheduler.tick(start) == []  # first sight: the first run is the next period's
    assert scheduler.tick(start + dt.timedelta(minutes=3)) == ["userscripts.housekeeping.sweep"]  # 14:10
    assert scheduler.tick(start + dt.timedelta(minutes=4)) == []  # same period
    assert scheduler.tick(start + dt.timedelta(hours=1)) == ["userscripts.housekeeping.sweep"]  # 12 missed: once
    assert scheduler.tick(start + dt.timedelta(hours=1, seconds=5)) == []
    assert DBTaskResult.objects.filter(task_path="userscripts.housekeeping.sweep").count() == 2
    row = TaskSchedule.objects.get(task_path="userscripts.housekeeping.sweep")
    assert row.last_period == dt.datetime(2026, 12, 2, 15, 5, tzinfo=UTC) and row.last_result_id


def test_hot_reload_changes_and_removes_the_schedule(userscripts, db):
    userscripts.load_module("housekeeping", SCRIPT.format(minutes=5))
    start = dt.datetime(2026, 12, 2, 14, 7, tzinfo=UTC)
    scheduler.tick(start)
    userscripts.load_module("housekeeping", SCRIPT.format(minutes=1))
    assert [row["schedule"] for row in scheduler.describe()] == ["cron 0 3 * * *", "every 0:01:00"]
    assert scheduler.tick(start + dt.timedelta(seconds=30)) == []  # the new schedule starts at its next period
    assert scheduler.tick(start + dt.timedelta(minutes=1)) == ["userscripts.housekeeping.sweep"]
    (userscripts.root / "housekeeping.py").unlink()
    userscripts.load()
    assert scheduler.tick(start + dt.timedelta(hours=2)) == [] and scheduler.describe() == []


def test_the_periods_skipped_between_two_enqueued_ones_are_counted():
    start = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
    every = Schedule(every=dt.timedelta(minutes=1))
    assert every.skipped(start, start + dt.timedelta(minutes=1)) == 0  # the next period: none passed over
    assert every.skipped(start, start + dt.timedelta(minutes=5)) == 4
    assert every.skipped(start, start) == 0
    cron = Schedule(cron="*/10 * * * *")
    assert cron.skipped(start, start + dt.timedelta(minutes=10)) == 0
    assert cron.skipped(start, start + dt.timedelta(minutes=40)) == 3
