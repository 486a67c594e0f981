"""``manage.py userscripts_log``: the tail of the central log, optionally followed like ``tail -F``."""
from django.core.management.base import BaseCommand, CommandError

from netbox_userscripts import log, logtail

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Command(BaseCommand):
    help = "Print the last records of the central userscripts log (a traceback stays with its record)."

    def add_arguments(self, parser):
        parser.add_argument("--script", help="Only this script's records (NAME or NAME.py).")
        parser.add_argument("-n", type=int, default=20, help="How many records (default 20).")
        parser.add_argument("--level", type=str.upper, choices=LEVELS, help="Only records at this level or above.")
        parser.add_argument("--follow", "-f", action="store_true", help="Keep printing new records, across rotations.")

    def handle(self, *args, script=None, n=20, level=None, follow=False, **options):
        if n < 0:
            raise CommandError("-n must be 0 or more.")
        script = script[:-3] if script and script.endswith(".py") else script
        path = log.central_log.filename
        records, file_id, offset = logtail.tail(path, n, script, level)
        for record in records:
            self.stdout.write(record.text)
        if follow:
            self.stdout.flush()
            try:
                for record in logtail.follow(path, script, level, position=(file_id, offset)):
                    self.stdout.write(record.text)
                    self.stdout.flush()
            except KeyboardInterrupt:
                pass
