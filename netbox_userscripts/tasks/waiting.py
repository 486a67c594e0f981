"""The database backend's waiting tasks, for Prometheus: read from the table at scrape time.

``userscripts_tasks_waiting{queue}``: runs ready (their ``run_after`` passed) and not yet taken
by a worker; ``userscripts_tasks_oldest_waiting_seconds{queue}``: how long the oldest has
waited (since it became due: its ``run_after``, or its enqueueing for a run without one, which
django-tasks-db stores as the largest date). One query per scrape (grouped by queue), none
between scrapes; none at all where django-tasks-db is not installed (inside NetBox, whose
tasks are RQ jobs).
"""
from django.apps import apps
from django.db.models import Case, Count, F, Min, When
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily


class WaitingTasksCollector:
    """A prometheus-client collector: the waiting tasks per queue, asked of the database when scraped."""

    def collect(self):
        now = timezone.now()
        waiting = GaugeMetricFamily("userscripts_tasks_waiting", "Task runs ready and not yet taken by a worker.",
                                    labels=["queue"])
        oldest = GaugeMetricFamily("userscripts_tasks_oldest_waiting_seconds",
                                   "How long the oldest waiting task run has waited.", labels=["queue"])
        if not apps.is_installed("django_tasks_db"):
            return
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        rows = (model.objects.ready().values("queue_name")
                .annotate(count=Count("id"), since=Min(Case(When(run_after__gt=now, then=F("enqueued_at")),
                                                             default=F("run_after"))))
                .order_by("queue_name"))
        for row in rows:
            waiting.add_metric([row["queue_name"]], row["count"])
            oldest.add_metric([row["queue_name"]], (now - row["since"]).total_seconds())
        yield waiting
        yield oldest
