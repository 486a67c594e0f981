"""The plugin's API paths (``/api/plugins/userscripts/``, namespace ``plugins-api:netbox_userscripts-api``)."""
from django.urls import path

from netbox_userscripts import api as engine_api
from netbox_userscripts.fleet import api as fleet_api
from netbox_userscripts.netbox_plugin import api

urlpatterns = [
    path("", api.UserscriptListView.as_view(), name="api-root"),
    path("log/", api.LogTailView.as_view(), name="log"),
    path("sync/", api.SyncView.as_view(), name="sync"),
    path("processes/", fleet_api.ProcessListView.as_view(), name="processes"),
    path("tasks/", engine_api.TaskRunListView.as_view(), name="tasks"),  # the task runs: NetBox jobs here
    path("stats/", api.HookCostsView.as_view(), name="stats"),
    # The name NetBox reverses for a model's list (``get_action_url``): the event-rule form's module selector.
    path("modules/", api.ModuleRowListView.as_view(), name="userscript-list"),
    path("scripts/", api.ScriptListView.as_view(), name="script-list"),
    path("scripts/<str:name>/run/", api.ScriptRunView.as_view(), name="script-run"),
]
