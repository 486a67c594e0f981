"""URLs of jobs: the pages (namespace ``jobs``) and the API (namespace ``extras-api``).

A job is addressed by ``local/MODULE/ClassName`` or ``MODULE.ClassName`` in both.
``netbox_userscripts/urls.py`` mounts the pages at ``/jobs/`` and the API at ``/api/extras/``.
"""
from django.urls import path

from netbox_userscripts.jobs import api, views

CLASS_PATH = "local/<str:module>/<str:class_name>"
NETBOX_NAME = "<str:name>"


def _both(prefix, suffix, view, name):
    """The same view under the class path and the NetBox name (the first one reverses)."""
    return [path(f"{prefix}{CLASS_PATH}/{suffix}", view, name=name),
            path(f"{prefix}{NETBOX_NAME}/{suffix}", view, name=f"{name}-by-name")]


page_urlpatterns = [
    path("", views.job_list, name="list"),
    path("results/", views.result_list, name="results"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/output/", views.result_output, name="result-output"),
    *_both("", "", views.job_run, "job"),
    *_both("", "choices/<str:var>/", views.var_choices, "choices"),
]

api_urlpatterns = [
    path("", api.ExtrasRootView.as_view(), name="api-root"),
    path("jobs/", api.JobListView.as_view(), name="job-list"),
    path("scripts/", api.JobListView.as_view(), name="script-list"),
    *_both("jobs/", "", api.JobDetailView.as_view(), "job-detail"),
    *_both("jobs/", "run/", api.JobRunView.as_view(), "job-run"),
    *_both("scripts/", "", api.JobDetailView.as_view(), "script-detail"),
    path("job-results/", api.JobResultList.as_view(), name="jobresult-list"),
    path("job-results/<int:pk>/", api.JobResultDetail.as_view(), name="jobresult-detail"),
]
