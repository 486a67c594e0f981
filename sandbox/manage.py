#!/usr/bin/env python
"""Django's command-line utility for the sandbox project, printing a configuration error as one line."""
import os
import sys

from django.core.management import execute_from_command_line

from netbox_userscripts.exceptions import ConfigurationError


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
