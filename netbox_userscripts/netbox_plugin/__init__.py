"""The engine as a NetBox plugin: ``PLUGINS = ["netbox_userscripts"]`` in NetBox's ``configuration.py``.

NetBox imports the ``netbox_userscripts`` package and reads its ``config``: the
``PluginConfig`` below, defined only where NetBox's plugin API exists (this project's own
``netbox`` package has none, and there the engine is a plain Django app). Everything that
talks to NetBox lives in this subpackage; the engine beside it is unchanged:

- ``checks``: the settings checked, each problem one line (a system check error);
- ``startup``: settings from ``PLUGINS_CONFIG``, the engine's start-up, the bulk-edit signals;
- ``middleware``: the request signals, ``/userscript/`` at NetBox's root, a watcher per worker;
- ``auth``, ``views``, ``api``, ``urls``: calls, pages and API under ``/plugins/userscripts/``;
- ``permissions``: the actions ``call``, ``run``, ``sync`` on the userscript object type;
- ``compat``: every difference between NetBox versions, each named by its version;
- ``event_rules``: the event-rule action "Userscript" (NetBox 4.7+);
- ``jobs``: Script classes of ``USERSCRIPTS_ROOT`` run as NetBox ``core.Job`` records;
- ``changelog``: NetBox's change log as the changes ``userscripts_replay`` replays;
- ``results``, ``template_content``: a run's result as NetBox shows its scripts', on the plugin's
  result page and the job's own page; ``rules``: the event rules as the plugin page flags them.
"""
from netbox_userscripts.conf import is_netbox

config = None

if is_netbox():
    from netbox.plugins import PluginConfig
    from netbox_userscripts.version import __version__

    class UserscriptsPluginConfig(PluginConfig):
        name = "netbox_userscripts"
        verbose_name = "Userscripts"
        description = "Your own Python files inside NetBox: signal hooks, HTTP calls and scripts, hot reloaded."
        version = __version__
        base_url = "userscripts"
        author = "netbox-userscripts maintainers"
        # What ``make test`` proves (tests/netbox_plugin); NetBox's plugin loader refuses other versions.
        min_version = "4.7.0"
        max_version = "4.7.99"
        default_auto_field = "django.db.models.BigAutoField"
        # USERSCRIPTS_ROOT and USERSCRIPTS_LOG_FILE are required, but checked by ``checks`` (one line, the
        # engine off) rather than NetBox's ``required_settings`` (an ImproperlyConfigured traceback).
        # Who may call without a login (with LOGIN_REQUIRED = False): nobody unless named.
        default_settings = {"USERSCRIPTS_ANONYMOUS_CALLS": []}
        middleware = ["netbox_userscripts.netbox_plugin.middleware.UserscriptsMiddleware"]
        menu_items = "navigation.menu_items"
        template_extensions = "template_content.template_extensions"  # a run's result on its job's page
        event_rule_actions = "event_rules.event_rule_actions"  # NetBox 4.7+
        serializer_resolver = "api.serializer_for"
        host_urlconf = "netbox_userscripts.netbox_plugin.urls"  # read by the engine's urls.py
        host_api_urlconf = "netbox_userscripts.netbox_plugin.api_urls"  # and api/urls.py
        host_module_permission = "netbox_userscripts.netbox_plugin.permissions.allows"  # and auth.authorize
        host_visible_modules = "netbox_userscripts.netbox_plugin.permissions.visible_modules"  # api.module_scope
        host_visible_objects = "netbox_userscripts.netbox_plugin.permissions.visible_objects"  # scripts.visibility
        host_run_command = "netbox_userscripts.netbox_plugin.cli.run_command"  # and manage.py runjob
        host_recorded_changes = "netbox_userscripts.netbox_plugin.changelog.recorded_changes"  # userscripts_replay

        def ready(self):
            super().ready()
            from django.core.checks import register

            from netbox_userscripts.netbox_plugin import checks, startup

            register(checks.system_check)  # netbox check, migrate, runserver, rqworker: one line each
            startup.start()

    config = UserscriptsPluginConfig
