"""URLs of the engine: the call endpoint (the jobs, pages and API add theirs).

A host adapter whose app config names a ``host_urlconf`` mounts the engine with its own
map instead (NetBox mounts this module at ``/plugins/userscripts/``: ``netbox_plugin.urls``).
"""
from importlib import import_module

from django.apps import apps
from django.urls import include, path

from netbox_userscripts.api import urls as api_urls
from netbox_userscripts.jobs import urls as jobs_urls
from netbox_userscripts.web import calls, metrics, pages

urlpatterns = [
    path("userscript/", calls.call_userscript, name="userscript-call"),
    path("userscripts/", pages.userscripts_page, name="userscripts"),
    path("metrics", metrics.metrics, name="metrics"),
    path("api/userscripts/", include((api_urls.urlpatterns, "userscripts-api"))),
    path("jobs/", include((jobs_urls.page_urlpatterns, "jobs"))),
    path("api/extras/", include((jobs_urls.api_urlpatterns, "extras-api"))),
]

_host_urlconf = getattr(apps.get_app_config("netbox_userscripts"), "host_urlconf", None)
if _host_urlconf:
    urlpatterns = import_module(_host_urlconf).urlpatterns
