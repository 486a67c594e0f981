"""The database backend's waiting tasks, for Prometheus: read from the table at scrape time.

``userscripts_tasks_waiting{queue}``: runs ready (their ``run_after`` passed) and not yet taken
by a worker; ``userscripts_tasks_oldest_waiting_seconds{queue}``: how long the oldest has
waited. One query per scrape (grouped by queue), none between scrapes.
"""
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import GaugeMetricFamily

from netbox_userscripts.tasks.decorator import TaskResultStatus


class WaitingTasksCollector:
    """A prometheus-client collector: the waiting tasks per queue, asked of the database when scraped."""

    def collect(self):
        now = timezone.now()
        waiting = GaugeMetricFamily("userscripts_tasks_waiting", "Task runs ready and not yet taken by a worker.",
                                    labels=["queue"])
        oldest = GaugeMetricFamily("userscripts_tasks_oldest_waiting_seconds",
                                   "How long the oldest waiting task run has waited.", labels=["queue"])
        rows = (DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
                .values("queue_name").annotate(count=Count("id"), since=Min("run_after")).order_by("queue_name"))
        for row in rows:
            waiting.add_metric([row["queue_name"]], row["count"])
            oldest.add_metric([row["queue_name"]], (now - row["since"]).total_seconds())
        yield waiting
        yield oldest
