"""``manage.py runjob [--username U] [--commit] [--data JSON|@file.json] [--background] CLASS_PATH`` (Nautobot's).

Runs the job now and prints its log as it goes, then its output. Exit code 0 when the job
completed, 1 when it failed or errored, 2 for bad arguments or input (nothing ran).
``--background`` (or ``--schedule-at``, ``--interval`` minutes) queues the run for a task
worker instead, prints the queued result and exits 0.
"""
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.jobs.cli import LEVEL_ORDER, run_command


class Command(BaseCommand):
    help = "Run a job synchronously: local/MODULE/ClassName (or MODULE.ClassName)."
    target = ("class_path", "local/MODULE/ClassName or MODULE.ClassName")
    user_option = "username"
    # The system checks cost most of a second at every start; a job run is not a deployment.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(self.target[0], help=self.target[1])
        parser.add_argument(f"--{self.user_option}", help="the user the job runs as (self.user)")
        parser.add_argument("--commit", action="store_true", help="keep the job's database changes")
        parser.add_argument("--data", help='the input as JSON, or @file.json: {"var": value, ...}')
        parser.add_argument("--loglevel", choices=LEVEL_ORDER, default="debug", help="lowest level printed")
        parser.add_argument("--background", action="store_true", help="queue the run for a task worker")
        parser.add_argument("--schedule-at", help="queue it for this moment (ISO 8601, in the future)")
        parser.add_argument("--interval", help="queue it to run again every INTERVAL minutes")

    def handle(self, *args, **options):
        convergence.ensure_current()  # with USERSCRIPTS_GIT: the job runs the recorded version
        # A host adapter runs its own jobs (NetBox: its scripts as core.Job, netbox_plugin.cli).
        host_command = getattr(apps.get_app_config("netbox_userscripts"), "host_run_command", None)
        run = import_string(host_command) if host_command else run_command
        queued = {name: options[name] for name in ("background", "schedule_at", "interval") if options.get(name)}
        if queued and host_command:
            raise CommandError("--background, --schedule-at and --interval are not available here: "
                               "schedule NetBox's scripts with NetBox.", returncode=2)
        run(self, options[self.target[0]], data=options.get("data"), username=options.get(self.user_option),
            commit=options.get("commit", False), min_level=options.get("loglevel") or "debug", **queued)
