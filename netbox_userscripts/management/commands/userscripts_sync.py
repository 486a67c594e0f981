"""``manage.py userscripts_sync``: fetch ``USERSCRIPTS_GIT`` and record its commit as the version to run.

Exit code 0 when synced (or already at the branch's commit), 1 when the sync failed and the
old version stays (the message says why), 2 when ``USERSCRIPTS_GIT`` is not set or wrong.
"""
from django.core.management.base import BaseCommand

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitconf import git_source
from netbox_userscripts.fleet.sync import sync


class Command(BaseCommand):
    help = "Fetch the USERSCRIPTS_GIT branch and record its commit as the version every process runs."

    def handle(self, *args, **options):
        try:
            source = git_source()
        except ConfigurationError as exc:
            self.stderr.write(f"userscripts_sync: {exc}")
            raise SystemExit(2) from None
        if source is None:
            self.stderr.write("userscripts_sync: USERSCRIPTS_GIT is not set: the userscripts are a plain folder.")
            raise SystemExit(2)
        outcome = sync(source)
        if not outcome.ok:
            self.stderr.write(f"userscripts_sync: {outcome.message}")
            raise SystemExit(1)
        self.stdout.write(outcome.message)
