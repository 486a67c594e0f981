"""``python -m netbox_userscripts check PATH`` (or ``replay MODULE``): the engine's commands without a ``manage.py``.

Django is set up from ``DJANGO_SETTINGS_MODULE`` (and the project on ``PYTHONPATH``), as ``manage.py``
would; ``check`` runs ``userscripts_check`` with the rest of the arguments, ``replay`` ``userscripts_replay``.
"""
import os
import sys

from django.core.management import execute_from_command_line

COMMANDS = {"check": "userscripts_check", "replay": "userscripts_replay"}
USAGE = ("usage: python -m netbox_userscripts {check,replay} ...  (with DJANGO_SETTINGS_MODULE set)\n"
         "  check PATH | --git REPOSITORY --ref REF [--format json]   what a folder of userscripts defines\n"
         "  replay MODULE [--since 2h | --change-ids 1,2 | --file changes.json] [--commit]\n")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        sys.stderr.write(USAGE)
        return 2
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        sys.stderr.write("python -m netbox_userscripts: set DJANGO_SETTINGS_MODULE to your project's settings "
                         "(such as netbox.settings) and put the project on PYTHONPATH.\n")
        return 2
    execute_from_command_line(["python -m netbox_userscripts", COMMANDS[argv[0]], *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
