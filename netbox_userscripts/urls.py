"""URLs of the engine: the call endpoint (the jobs, pages and API add theirs)."""
from django.urls import include, path

from netbox_userscripts import api, pages, views
from netbox_userscripts.jobs import urls as jobs_urls

urlpatterns = [
    path("userscript/", views.call_userscript, name="userscript-call"),
    path("userscripts/", pages.userscripts_page, name="userscripts"),
    path("api/userscripts/", include(([
        path("", api.UserscriptListView.as_view(), name="api-root"),
        path("log/", api.LogTailView.as_view(), name="log"),
    ], "userscripts-api"))),
    path("jobs/", include((jobs_urls.page_urlpatterns, "jobs"))),
    path("api/extras/", include((jobs_urls.api_urlpatterns, "extras-api"))),
]
