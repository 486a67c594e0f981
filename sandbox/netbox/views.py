"""The home page ``/``: what is in the database, what runs, and the way to everything else.

Counts every model of the project's data apps (each installed app whose package sits at the
top of this project's folder, the engine aside), so a model or an app added later shows up
without an edit here. Each part is shown only to a user who may see it elsewhere: a model's
count as the API reads it (the view permission, or anyone when LOGIN_REQUIRED is off: the
rule a job's object choices follow too, ``scripts.visibility``), the
userscripts and the log to staff (as on ``/userscripts/``), job results as
``/jobs/results/`` lists them (the engine's ``jobs.permissions``).
"""
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from netbox_userscripts.jobs import permissions
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log
from netbox_userscripts.log import tail as logtail
from netbox_userscripts.scripts.models import JobResult
from netbox_userscripts.scripts.visibility import may_view_model

ENGINE = "netbox_userscripts"
RESULTS = 10
LOG_LINES = 15


def data_apps():
    """The project's own apps, in INSTALLED_APPS order: the packages at the top of sandbox/
    (Django's, the engine and other installed apps live elsewhere)."""
    base = Path(settings.SANDBOX_DIR).resolve()
    return [config for config in apps.get_app_configs()
            if config.name != ENGINE and Path(config.path).resolve().parent == base]


def object_counts(user):
    """``[(app verbose name, [(model verbose name plural, count, admin URL or None)])]``."""
    sections = []
    for config in data_apps():
        rows = []
        for model in sorted(config.get_models(), key=lambda m: str(m._meta.verbose_name_plural).lower()):
            if not may_view_model(user, model):
                continue
            rows.append((model._meta.verbose_name_plural, model._default_manager.count(), _changelist(model)))
        if rows:
            sections.append((config.verbose_name, rows))
    return sections


def _changelist(model):
    if not admin.site.is_registered(model):
        return None
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return None


def last_results(user):
    results = JobResult.objects.select_related("user").defer("log", "output", "traceback", "data")
    if not permissions.may_view_results(user):
        results = results.filter(user_id=user.pk)
    return list(results[:RESULTS])


@require_GET
def home(request):
    user = request.user
    if settings.LOGIN_REQUIRED and not user.is_authenticated:  # also where the middleware is left out
        return redirect_to_login(request.get_full_path())
    context = {"counts": object_counts(user), "results": last_results(user), "staff": user.is_staff}
    if user.is_staff:
        modules = registry.describe()
        context.update({
            "loaded": [m for m in modules if m["state"] == "loaded"],
            "failed": [m for m in modules if m["state"] != "loaded"],
            "log_records": logtail.last(log.central_log.filename, LOG_LINES),
        })
    return render(request, "home.html", context)
