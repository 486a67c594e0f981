"""``manage.py userscripts_sync``: fetch ``USERSCRIPTS_GIT`` and record its commit as the version to run.

Inside NetBox with ``USERSCRIPTS_DATA_SOURCE``: record the data source's files as NetBox's
last sync of it left them (NetBox's own sync job fetches them; its end records them too).
Exit code 0 when synced (or already at that version), 1 when the sync failed and the old
version stays (the message says why), 2 when neither setting is set, or one is wrong.
"""
from django.core.management.base import BaseCommand

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.origin import origin
from netbox_userscripts.fleet.sync import sync


class Command(BaseCommand):
    help = ("Fetch the USERSCRIPTS_GIT branch (or read USERSCRIPTS_DATA_SOURCE) and record that version as the one "
            "every process runs.")

    def handle(self, *args, **options):
        try:
            source = origin()
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
