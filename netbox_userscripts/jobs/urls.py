"""URLs of jobs: the pages (namespace ``jobs``) and the API (namespace ``extras-api``).

A job is addressed by ``local/MODULE/ClassName`` or ``MODULE.ClassName`` in both.
``netbox_userscripts/urls.py`` mounts the pages at ``/jobs/`` and the API at ``/api/extras/``.
"""
from django.urls import path

from netbox_userscripts.jobs import api, views
from netbox_userscripts.jobs.routes import both

page_urlpatterns = [
    path("", views.job_list, name="list"),
    path("results/", views.result_list, name="results"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/output/", views.result_output, name="result-output"),
    *both("", "", views.job_run, "job"),
    *both("", "choices/<str:var>/", views.var_choices, "choices"),
]

api_urlpatterns = [
    path("", api.ExtrasRootView.as_view(), name="api-root"),
    path("jobs/", api.JobListView.as_view(), name="job-list"),
    path("scripts/", api.JobListView.as_view(), name="script-list"),
    *both("jobs/", "", api.JobDetailView.as_view(), "job-detail"),
    *both("jobs/", "run/", api.JobRunView.as_view(), "job-run"),
    *both("scripts/", "", api.JobDetailView.as_view(), "script-detail"),
    path("job-results/", api.JobResultList.as_view(), name="jobresult-list"),
    path("job-results/<int:pk>/", api.JobResultDetail.as_view(), name="jobresult-detail"),
]
