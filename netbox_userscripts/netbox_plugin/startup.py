"""The plugin's start-up in every NetBox process (web workers, ``manage.py`` commands, ``rqworker``).

Settings come from ``PLUGINS_CONFIG["netbox_userscripts"]`` (the names of the engine's
settings, absolute paths), checked first (``checks``: with a problem the engine stays off in
this process and the system checks report it), NetBox's ``AbortRequest`` is made a veto as
``AbortEvent`` is (``exceptions.add_veto``), then the engine starts as in any Django project, then NetBox's
bulk edits are made to send the engine's bulk-edit signals (``bulk``), and the end of a
NetBox data source's sync records its files when it is ``USERSCRIPTS_DATA_SOURCE``
(``datasource``); the hook costs of a job's receivers are stored at its end (``job_end``: ``rqworker``'s
work-horse exits without a heartbeat); userscript tasks run as NetBox jobs (``taskjobs``), queued through the
tasks outbox (``jobqueue``). With NetBox Labs' branching plugin in ``PLUGINS``, ``branch()``
and ``origin()`` answer its branches (``branching``). NetBox's own current
request (set for scripts and background jobs too) is what ``post_commit`` names.
"""
import sys

from core.signals import job_end
from django.conf import settings

from netbox.context import current_request as netbox_current_request
from netbox_userscripts import apps, conf, exceptions
from netbox_userscripts.conf import setting
from netbox_userscripts.hooks import context
from netbox_userscripts.loading import reloader
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics.store import store as hookstats
from netbox_userscripts.models import SyncedVersion, Userscript
from netbox_userscripts.netbox_plugin import branching, bulk, checks, compat, datasource, jobqueue, taskjobs
from netbox_userscripts.netbox_plugin.permissions import ACTIONS
from netbox_userscripts.tasks import scheduler
from utilities.exceptions import AbortRequest


def start():
    """Check the settings, then start the engine, or leave it off with the problems as system check errors."""
    plugin_settings = settings.PLUGINS_CONFIG.get("netbox_userscripts", {})
    if not checks.problems.check(plugin_settings):
        for problem in checks.problems.found:  # gunicorn runs no system checks: its log says it too
            print(f"netbox_userscripts is off: {problem}", file=sys.stderr)
        return
    conf.add_source(plugin_settings)
    context.host_requests.add(netbox_current_request)  # post_commit's request in scripts and background jobs too
    exceptions.add_veto(AbortRequest)  # NetBox's own veto, raised out of habit: a veto, not a receiver failure
    if "netbox_branching" in settings.PLUGINS:
        branching.install()  # branch() and origin() answer NetBox Labs' branches, merges, reverts and syncs
    _register_actions()
    taskjobs.install()  # before the userscripts load: their @task asks for the backend
    jobqueue.install()  # the NetBox jobs the plugin queues go through the tasks outbox, handed over by the heartbeat
    apps.start()
    if checks.problems.created_root:
        log.logger_for("netbox_userscripts").warning("USERSCRIPTS_ROOT %s did not exist: created it (empty)",
                                                     checks.problems.created_root)
    bulk.install()
    job_end.connect(_hook_costs_of_the_job, dispatch_uid="userscripts_hookstats_job_end")
    datasource.install()  # USERSCRIPTS_DATA_SOURCE: recorded when NetBox syncs it
    if sys.argv[1:2] == ["rqworker"]:
        scheduler.start()  # the scheduled tasks' periods, each enqueued once as a NetBox job (``taskjobs``)
        if setting("USERSCRIPTS_AUTORELOAD"):
            reloader.start()  # NetBox's background worker saves too (bulk edits as jobs); web workers start theirs


def _hook_costs_of_the_job(sender, **kwargs):
    """``rqworker``'s work-horse leaves with ``os._exit`` after its one job (no heartbeat, no ``atexit``): the
    receivers its job ran are counted now."""
    hookstats.flush_at_exit()


def _register_actions():
    """``call``, ``run`` and ``sync`` on "Userscripts > userscript" in NetBox's permission form, once each.

    ``SyncedVersion``'s ``Meta.permissions`` (``sync_userscripts``, the project's Django
    permission) is no action inside NetBox: ``sync`` on the userscript is.
    """
    compat.set_model_actions(Userscript, ACTIONS)
    compat.set_model_actions(SyncedVersion, {})
