"""``manage.py sweep_jobresults``: mark errored the runs whose process died (killed, crashed).

Starting a job sweeps too; this is for a host where no job has started since, e.g. from
cron after a reboot.
"""
from django.core.management.base import BaseCommand

from netbox_userscripts.models import JobResult


class Command(BaseCommand):
    help = "Mark 'errored' the running job results of this host whose process no longer exists."

    def handle(self, *args, **options):
        swept = JobResult.sweep_abandoned()
        self.stdout.write(f"{swept} abandoned job result{'s' if swept != 1 else ''} marked errored.")
