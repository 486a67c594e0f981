"""``manage.py runscript [--user U] [--commit] [--data JSON] module.ClassName`` (NetBox's spelling).

The same as ``runjob``: prints the log and the output; exit code 0 completed, 1 failed or
errored, 2 bad arguments or input.
"""
from netbox_userscripts.management.commands import runjob


class Command(runjob.Command):
    help = "Run a script synchronously: module.ClassName (or local/MODULE/ClassName)."
    target = ("script", "module.ClassName")
    user_option = "user"
