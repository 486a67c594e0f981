"""``manage.py userscripts_check PATH`` (or ``--git REPOSITORY --ref REF``): what a folder of userscripts defines, and
what is wrong with it, before it goes live.

Every flat module is imported in a child process against this project (``loading.inspection``);
nothing is served, loaded here or written to the central log. Exit code 0 when every module is
fine, 1 when any has a problem, 2 when PATH or the repository cannot be read.
"""
import json
import tempfile

from django.core.management.base import BaseCommand, CommandError

from netbox_userscripts.fleet.checkout import checkout
from netbox_userscripts.fleet.gitsource import SourceError
from netbox_userscripts.loading.inspection import InspectionError, inspect_in_child


class Command(BaseCommand):
    help = "Import a folder (or a git commit) of userscripts in a child process and list what each module " \
           "defines and every problem; exit code 1 on any problem."
    requires_system_checks = []  # a check of files, not of this project's deployment

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="the folder of userscripts (or, with --git, its sub-folder)")
        parser.add_argument("--git", metavar="REPOSITORY", help="a git repository (a local path or a URL) to check "
                                                                "a commit of, instead of a folder")
        parser.add_argument("--ref", default="main", help="with --git: the branch, tag or commit (default: main)")
        parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for CI")
        parser.add_argument("--timeout", type=float, default=120, help="seconds the imports may take (default 120)")

    def handle(self, *args, **options):
        try:
            report = self.report(options)
        except (InspectionError, SourceError, ValueError) as exc:
            raise CommandError(f"userscripts_check: {exc}", returncode=2) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self.print_text(report)
        if not report["ok"]:
            raise SystemExit(1)

    def report(self, options):
        if not options["git"]:
            if not options["path"]:
                raise ValueError("give the folder of userscripts to check (PATH), or --git REPOSITORY --ref REF.")
            return inspect_in_child(options["path"], timeout=options["timeout"])
        with tempfile.TemporaryDirectory(prefix="userscripts-checkout-") as folder:
            commit = checkout(options["git"], options["ref"], folder, options["path"] or "")
            report = inspect_in_child(folder, timeout=options["timeout"])
        report.update(path=options["path"] or "", git=options["git"], ref=options["ref"], commit=commit)
        return report

    def print_text(self, report):
        where = f"{report['git']} at {report['commit'][:12]}" if report.get("git") else report["path"]
        for module in report["modules"]:
            state = self.style.SUCCESS("ok") if module["ok"] else self.style.ERROR("PROBLEMS")
            self.stdout.write(f"{module['file']}  {state}")
            for receiver in module["receivers"]:
                name, signal, sender = receiver["receiver"], receiver["signal"], receiver["sender"]
                self.stdout.write(f"  receiver {name} on {signal} from {sender}")
            if module["call"]:
                self.stdout.write(f"  call: /userscript/?script={module['name']}")
            for job in module["jobs"]:
                self.stdout.write(f"  job: {job['class_path']} ({', '.join(job['vars']) or 'no vars'})")
            for task in module["tasks"]:
                self.stdout.write(f"  task: {task['name']}" + (f", {task['schedule']}" if task["schedule"] else ""))
            for problem in module["problems"]:
                line = f", line {problem['line']}" if problem["line"] else ""
                self.stdout.write(self.style.ERROR(f"  problem ({problem['kind']}{line}): {problem['message']}"))
        count = report["problems"]
        summary = f"{len(report['modules'])} modules checked in {where}: " + (
            f"{count} problem{'s' if count != 1 else ''}." if count else "no problem.")
        self.stdout.write(self.style.ERROR(summary) if count else self.style.SUCCESS(summary))
