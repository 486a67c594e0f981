"""``manage.py userscripts``: the loaded modules, their state, receivers, call and jobs."""
import json

from django.core.management.base import BaseCommand

from netbox_userscripts.registry import registry


class Command(BaseCommand):
    help = "List the userscript modules: file, state, receivers, call() and jobs."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")

    def handle(self, *args, **options):
        rows = registry.describe()
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write(f"No userscripts in {registry.root}.")
            return
        for row in rows:
            loaded = row["state"] == "loaded"
            state = self.style.SUCCESS("loaded") if loaded else self.style.ERROR(f"error: {row['error']}")
            self.stdout.write(f"{row['name']}  {row['file']}  {state}")
            if row.get("pending_error"):
                self.stdout.write(self.style.ERROR(f"  new version failed, previous version still running: "
                                                   f"{row['pending_error']}"))
            for receiver in row["receivers"]:
                self.stdout.write(
                    f"  receiver {receiver['receiver']} on {receiver['signal']} from {receiver['sender']}")
            if row["call"]:
                self.stdout.write(f"  call: /userscript/?script={row['name']}")
            for job in row["jobs"]:
                self.stdout.write(f"  job: local/{row['name']}/{job}")
