"""The plugin's start-up in every NetBox process (web workers, ``manage.py`` commands, ``rqworker``).

Settings come from ``PLUGINS_CONFIG["netbox_userscripts"]`` (the names of the engine's
settings, absolute paths), then the engine starts as in any Django project, then NetBox's
bulk edits are made to send the engine's bulk-edit signals (``bulk``), and the end of a
NetBox data source's sync records its files when it is ``USERSCRIPTS_DATA_SOURCE``
(``datasource``); userscript tasks run as NetBox jobs (``taskjobs``). NetBox's own current
request (set for scripts and background jobs too) is what ``post_commit`` names.
"""
import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from netbox.context import current_request as netbox_current_request
from netbox_userscripts import apps, conf
from netbox_userscripts.conf import setting
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.hooks import context
from netbox_userscripts.loading import reloader
from netbox_userscripts.models import SyncedVersion, Userscript
from netbox_userscripts.netbox_plugin import bulk, compat, datasource, taskjobs
from netbox_userscripts.netbox_plugin.permissions import ACTIONS
from netbox_userscripts.tasks import scheduler
from netbox_userscripts.web.anonymous import SETTING as ANONYMOUS_CALLS
from netbox_userscripts.web.anonymous import checked_anonymous_calls

PATH_SETTINGS = ("USERSCRIPTS_ROOT", "USERSCRIPTS_LOG_FILE")


def start():
    plugin_settings = settings.PLUGINS_CONFIG.get("netbox_userscripts", {})
    for name in PATH_SETTINGS:
        value = plugin_settings.get(name)
        if not isinstance(value, (str, os.PathLike)) or not os.path.isabs(value):
            raise ImproperlyConfigured(
                f'PLUGINS_CONFIG["netbox_userscripts"]["{name}"] must be an absolute path, got {value!r}.')
    log_folder = os.path.dirname(plugin_settings["USERSCRIPTS_LOG_FILE"])
    try:
        os.makedirs(log_folder, exist_ok=True)  # as this project's settings do for the central log
    except OSError as exc:
        raise ImproperlyConfigured(f'PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_LOG_FILE"]: cannot create '
                                   f'the folder {log_folder}: {exc}') from exc
    try:
        checked_anonymous_calls(plugin_settings.get(ANONYMOUS_CALLS))
    except ConfigurationError as exc:
        raise ImproperlyConfigured(f'PLUGINS_CONFIG["netbox_userscripts"]: {exc}') from None
    conf.add_source(plugin_settings)
    context.host_requests.add(netbox_current_request)  # post_commit's request in scripts and background jobs too
    _register_actions()
    taskjobs.install()  # before the userscripts load: their @task asks for the backend
    apps.start()
    bulk.install()
    datasource.install()  # USERSCRIPTS_DATA_SOURCE: recorded when NetBox syncs it
    if sys.argv[1:2] == ["rqworker"]:
        scheduler.start()  # the scheduled tasks' periods, each enqueued once as a NetBox job (``taskjobs``)
        if setting("USERSCRIPTS_AUTORELOAD"):
            reloader.start()  # NetBox's background worker saves too (bulk edits as jobs); web workers start theirs


def _register_actions():
    """``call``, ``run`` and ``sync`` on "Userscripts > userscript" in NetBox's permission form, once each.

    ``SyncedVersion``'s ``Meta.permissions`` (``sync_userscripts``, the project's Django
    permission) is no action inside NetBox: ``sync`` on the userscript is.
    """
    compat.set_model_actions(Userscript, ACTIONS)
    compat.set_model_actions(SyncedVersion, {})
