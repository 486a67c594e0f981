"""``manage.py userscripts_log``: the tail of the central log, optionally followed like ``tail -F``."""
import redis
from django.core.management.base import BaseCommand, CommandError

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.log import central as log
from netbox_userscripts.log import stream as logstream
from netbox_userscripts.log import tail as logtail

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Command(BaseCommand):
    help = "Print the last records of the central userscripts log (a traceback stays with its record)."

    def add_arguments(self, parser):
        parser.add_argument("--script", help="Only this script's records (NAME or NAME.py).")
        parser.add_argument("-n", type=int, default=20, help="How many records (default 20).")
        parser.add_argument("--level", type=str.upper, choices=LEVELS, help="Only records at this level or above.")
        parser.add_argument("--follow", "-f", action="store_true", help="Keep printing new records, across rotations.")
        parser.add_argument("--host", help="Only this host's records (with USERSCRIPTS_LOG_STREAM).")

    def handle(self, *args, script=None, n=20, level=None, follow=False, host=None, **options):
        if n < 0:
            raise CommandError("-n must be 0 or more.")
        script = script[:-3] if script and script.endswith(".py") else script
        try:
            client = logstream.stream_client()
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from None
        if client is not None:
            return self.from_stream(client, n, script, level, host, follow)
        if host:
            raise CommandError("--host needs USERSCRIPTS_LOG_STREAM: the file of this host has this host's records.")
        path = log.central_log.filename
        budget = logtail.Budget()
        records, file_id, offset = logtail.tail(path, n, script, level, budget=budget)
        for record in records:
            self.stdout.write(record.text)
        if budget.exhausted:
            self.stderr.write(logtail.unsearched_note(budget))
        if follow:
            self.stdout.flush()
            try:
                for record in logtail.follow(path, script, level, position=(file_id, offset)):
                    self.stdout.write(record.text)
                    self.stdout.flush()
            except KeyboardInterrupt:
                pass

    def from_stream(self, client, n, script, level, host, follow):
        """Every host's records from the stream: the last ``n``, then (``--follow``) new ones as they come."""
        try:
            entries = [e for e in logstream.last(client, n * 4 + 100) if logstream.matches(e[1], script, level, host)]
            for _, fields in entries[-n:] if n else []:
                self.stdout.write(logstream.text(fields))
            if not follow:
                return
            after = logstream.end(client)
            self.stdout.flush()
            while True:
                for entry_id, fields in logstream.read(client, after, count=1000, block=1000):
                    after = entry_id
                    if logstream.matches(fields, script, level, host):
                        self.stdout.write(logstream.text(fields))
                self.stdout.flush()
        except KeyboardInterrupt:
            pass
        except redis.RedisError as exc:
            raise CommandError(f"the log stream {logstream.STREAM} is unreachable: {exc}") from None
