"""``manage.py userscripts``: the loaded modules, their state, receivers, call and jobs; ``--tasks``: task runs;
``--stats``: what each receiver and ``call`` cost over the last hour, every process on every host."""
import json

from django.core.management.base import BaseCommand, CommandError

from netbox_userscripts.fleet.table import process_rows
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.metrics import store as hookstats
from netbox_userscripts.tasks import runs as taskruns


class Command(BaseCommand):
    help = "List the userscript modules: file, state, receivers, call() and jobs."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")
        parser.add_argument("--tasks", action="store_true", help="Print the latest task runs instead.")
        parser.add_argument("--script", help="With --tasks: only this module's runs.")
        parser.add_argument("--status", help="With --tasks: only runs queued, running, succeeded or failed.")
        parser.add_argument("--processes", action="store_true",
                            help="Every process running userscripts: host, pid, role, version, last seen.")
        parser.add_argument("--stats", action="store_true",
                            help="Hook costs: calls, errors, vetoes, p50 and p99 of each receiver and call() over "
                                 "the last hour (--minutes), every process on every host; failing and slowest first.")
        parser.add_argument("--minutes", type=int, default=60, help="With --stats: how far back (default 60).")

    def handle(self, *args, **options):
        if options["tasks"]:
            return self.print_tasks(options)
        if options["processes"]:
            return self.print_processes(process_rows(), options["json"])
        if options["stats"]:
            return self.print_stats(options["minutes"], options["json"])
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

    def print_tasks(self, options):
        try:
            rows = taskruns.recent_runs(script=options["script"], status=options["status"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No task runs.")
            return
        for row in rows:
            ended = row["finished_at"] or row["started_at"] or row["enqueued_at"]
            line = f"{row['id']}  {row['task']}  {row['status']}  {ended}  {row['worker'] or '-'}"
            self.stdout.write(line + (f"  {row['error']}" if row["error"] else ""))

    def print_processes(self, table, as_json):
        if as_json:
            self.stdout.write(json.dumps(table, indent=2))
            return
        sync = table["sync"]
        if sync:
            commit = (sync["commit"] or "none yet")[:12]
            self.stdout.write(f"recorded version: {commit} of {sync['url']} {sync['branch']}")
            if sync["error"]:
                self.stdout.write(self.style.ERROR(f"last sync failed: {sync['error']}"))
        if not table["results"]:
            self.stdout.write("No process has recorded itself yet.")
        for row in table["results"]:
            flags = [row["state"]] + (["OTHER VERSION"] if row["mismatch"] else [])
            failed = f", {len(row['failed'])} failed: {', '.join(row['failed'])}" if row["failed"] else ""
            line = (f"{row['hostname']}  pid {row['pid']}  {row['role']}  started {row['started']}  "
                    f"version {row['version'][:19]}  {len(row['loaded'])} loaded{failed}  "
                    f"last seen {row['last_seen']}  {' '.join(flags)}")
            style = self.style.ERROR if row["mismatch"] else self.style.WARNING if row["state"] == "gone" else str
            self.stdout.write(style(line))

    def print_stats(self, minutes, as_json):
        most = hookstats.KEEP_DAYS * 24 * 60
        if not 1 <= minutes <= most:
            raise CommandError(f"--minutes must be between 1 and {most} (the {hookstats.KEEP_DAYS} days kept).")
        rows = hookstats.costs(minutes=minutes)
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write(f"No receiver or call ran in the last {minutes} minutes.")
            return
        rows = [hookstats.readable(row) for row in rows]
        width = max(len(row["label"]) for row in rows)
        self.stdout.write(f"{'receiver or call':<{width}}  {'calls':>8}  {'errors':>6}  {'vetoes':>6}  "
                          f"{'p50':>8}  {'p99':>8}  {'max':>8}")
        for row in rows:
            line = (f"{row['label']:<{width}}  {row['calls']:>8}  {row['errors']:>6}  {row['vetoes']:>6}  "
                    f"{row['p50_text']:>8}  {row['p99_text']:>8}  {row['max_text']:>8}")
            self.stdout.write(self.style.ERROR(line) if row["errors"] else line)
