"""The engine's API paths, where a host mounts an app's ``api/urls.py`` (NetBox: ``/api/plugins/userscripts/``).

This project mounts the same views at ``/api/userscripts/`` (``netbox_userscripts/urls.py``);
a host adapter whose app config names a ``host_api_urlconf`` serves its own map here.
"""
from importlib import import_module

from django.apps import apps
from django.urls import path

from netbox_userscripts import api
from netbox_userscripts.fleet import api as fleet_api

urlpatterns = [
    path("", api.UserscriptListView.as_view(), name="api-root"),
    path("log/", api.LogTailView.as_view(), name="log"),
    path("tasks/", api.TaskRunListView.as_view(), name="tasks"),
    path("stats/", api.HookCostsView.as_view(), name="stats"),
    path("sync/", fleet_api.SyncView.as_view(), name="sync"),
    path("processes/", fleet_api.ProcessListView.as_view(), name="processes"),
]

_host_urlconf = getattr(apps.get_app_config("netbox_userscripts"), "host_api_urlconf", None)
if _host_urlconf:
    urlpatterns = import_module(_host_urlconf).urlpatterns
