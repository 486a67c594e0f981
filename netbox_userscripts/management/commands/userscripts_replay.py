"""``manage.py userscripts_replay MODULE [--since 2h | --change-ids 1,2,3 | --file changes.json] [--commit]``.

Replays recorded changes into one module's ``post_commit`` receivers (``commits.replay``) and
prints what they logged: in a transaction rolled back unless ``--commit``. ``--file`` reads a
JSON file of changes, anywhere; ``--since`` and ``--change-ids`` read the host's change log
(inside NetBox: ``core.ObjectChange``, through the app config's ``host_recorded_changes``).
Exit code 0 when replayed, 2 for bad input (a one-line message, nothing replayed).
"""
import json
import re
from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from netbox_userscripts.commits.replay import ReplayError, changes_from_json, replay
from netbox_userscripts.fleet.converge import convergence
from netbox_userscripts.loading.registry import registry

SINCE_RE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class Command(BaseCommand):
    help = ("Replay recorded changes into a userscript's post_commit receivers and print what they logged; "
            "rolled back unless --commit.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("module", help="the userscript module (NAME of NAME.py)")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--since", help="the change log's changes of the last 30m, 2h, 1d, 1w (inside NetBox)")
        source.add_argument("--change-ids", help="these change log records: 1,2,3 (inside NetBox)")
        source.add_argument("--file", help="a JSON file of changes (docs: commands.md#userscripts_replay)")
        parser.add_argument("--commit", action="store_true", help="let the receivers' writes stand")

    def handle(self, *args, **options):
        try:
            changes = self.changes(options)
            convergence.ensure_current()  # with USERSCRIPTS_GIT: the version every process runs
            module = registry.get(options["module"])
            if module is None:
                known = ", ".join(m.name for m in registry.modules()) or "none"
                raise ReplayError(f"no userscript {options['module']!r} in {registry.root} (loaded: {known}).")
            records = replay(module, changes, commit=options["commit"])
        except ReplayError as exc:
            raise CommandError(f"userscripts_replay: {exc}", returncode=2) from None
        for record in records:
            self.stdout.write(f"{record.levelname:<8} {record.getMessage()}")
        outcome = "committed" if options["commit"] else "rolled back (give --commit to keep their writes)"
        self.stdout.write(f"{len(changes)} change{'s' if len(changes) != 1 else ''} replayed into "
                          f"{options['module']}'s post_commit receivers, {len(records)} log lines; {outcome}.")

    def changes(self, options):
        if options["file"]:
            try:
                with open(options["file"], encoding="utf-8") as handle:
                    return changes_from_json(json.load(handle))
            except OSError as exc:
                raise ReplayError(f"cannot read --file {options['file']}: {exc.strerror}.") from None
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ReplayError(f"--file {options['file']} is not JSON: {exc}.") from None
        wanted = {"since": parse_since(options["since"])} if options["since"] else {
            "ids": parse_ids(options["change_ids"])}
        host = getattr(apps.get_app_config("netbox_userscripts"), "host_recorded_changes", None)
        if host is None:
            raise ReplayError("--since and --change-ids read NetBox's change log, which this project does not "
                              "have: give --file changes.json.")
        return import_string(host)(**wanted)


def parse_since(text):
    """``timedelta`` from ``30m``, ``2h``, ``1d``, ``1w``; ``ReplayError`` otherwise."""
    match = SINCE_RE.match(text or "")
    if not match:
        raise ReplayError(f"--since {text!r} is not a duration: give a number and a unit, such as 30m, 2h, 1d or 1w.")
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def parse_ids(text):
    """``[1, 2, 3]`` from ``1,2,3``; ``ReplayError`` otherwise."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ReplayError(f"--change-ids {text!r} must be change log ids separated by commas, such as 1,2,3.")
    return [int(p) for p in parts]
