"""App config: at start-up, set up the central log, the ``post_commit`` tracking and the userscripts."""
import atexit
import os
import sys

from django.apps import AppConfig
from django.utils.autoreload import file_changed

from netbox_userscripts.commits.tracking import tracking
from netbox_userscripts.conf import setting
from netbox_userscripts.fleet import processes, trial
from netbox_userscripts.fleet.converge import version_gauge
from netbox_userscripts.hooks import receivers
from netbox_userscripts.loading import reloader
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics import setup as metrics
from netbox_userscripts.metrics.store import store as hookstats
from netbox_userscripts.tasks import outbox
from netbox_userscripts.web import anonymous

# Commands that only read: they load the userscripts to describe them, and write nothing to the central log.
READ_ONLY_COMMANDS = {"userscripts", "userscripts_log", "userscripts_check", "userscripts_replay", "check",
                      "showmigrations", "help"}


class UserscriptsConfig(AppConfig):
    name = "netbox_userscripts"
    verbose_name = "Userscripts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        start()


def start():
    """The engine's start-up, in any host: the settings' check, the central log, the userscripts, the watcher."""
    anonymous.checked_anonymous_calls(setting(anonymous.SETTING))  # a bad value stops start-up, not a call
    log.configure()
    metrics.start()  # before the loads, which it counts
    receivers.install_connect_capture()
    tracking.install()
    if os.environ.get(trial.TRIAL_ENV):
        return  # a version's trial (``fleet.trial``): it imports that version's modules itself, and serves nothing
    registry.log_label = load_log_label()
    registry.load_all(setting("USERSCRIPTS_ROOT"))
    file_changed.connect(reloader.ignore_in_django_autoreload, dispatch_uid="userscripts-no-restart")
    reloader.autostart()
    processes.add_chore(outbox.hand_over_waiting)  # tasks a down Redis did not take at their commit
    processes.add_chore(hookstats.chore)  # this process's hook costs into the table every host reads
    atexit.register(hookstats.flush_at_exit)
    processes.add_chore(version_gauge.report)
    processes.autostart()  # the process table's row and the check of the recorded version


def load_log_label(argv=None):
    """This process in its load lines: "web" (its role in the process table, else its command), or None.

    None, for a read-only command, keeps its loads out of the central log.
    """
    argv = sys.argv if argv is None else argv
    command = argv[1] if len(argv) > 1 and not argv[1].startswith("-") else None
    if command in READ_ONLY_COMMANDS:
        return None
    return processes.role_from_argv(argv) or command or os.path.basename(argv[0] if argv else "python")
