"""The plugin's pages on NetBox's layout: ``/plugins/userscripts/`` and a script's run form.

``call_userscript`` is the engine's own view, served at ``/userscript/`` and
``/plugins/userscripts/call/``. The page shows only the modules the user's ``view``
permission names (``permissions.visible_modules``), with their scripts and event rules; a
script's form offers only the objects the user may view (``jobs.script_form``).
"""
from core.choices import JobStatusChoices
from core.models import Job
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from netbox_userscripts.api.module_scope import only_visible, visible_task_runs
from netbox_userscripts.fleet.api import VIEW_PROCESSES_PERMISSION
from netbox_userscripts.fleet.table import process_rows
from netbox_userscripts.loading import reloader
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.metrics import store as hookstats
from netbox_userscripts.netbox_plugin import checks, jobs, permissions, results, rules
from netbox_userscripts.netbox_plugin.permissions import RUN as RUN_PERMISSION
from netbox_userscripts.netbox_plugin.permissions import VIEW as VIEW_PERMISSION
from netbox_userscripts.tasks import scheduler
from netbox_userscripts.web.calls import call_userscript  # noqa: F401  (re-exported for the URL maps)
from utilities.htmx import htmx_partial
from utilities.rqworker import any_workers_for_queue

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class UserscriptsView(LoginRequiredMixin, View):
    """Every module with its state, receivers, ``call``, scripts and event rules; the rules that cannot call;
    the processes, schedules and task runs; a live tail of the log, filtered by ``?script=`` and ``?level=``."""

    def get(self, request):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied(f"Permission {VIEW_PERMISSION} is required.")
        watcher = reloader.current()
        visible = permissions.visible_modules(request.user)
        scripts = {}
        for module, class_name, cls in only_visible(jobs.scripts(), visible, lambda script: script[0]):
            scripts.setdefault(module, []).append((f"{module}.{class_name}", getattr(cls, "name", class_name)))
        calls = only_visible(rules.rule_calls(), visible, lambda call: call.module)
        modules = only_visible(registry.describe(), visible)
        script = request.GET.get("script", "")
        level = request.GET.get("level", "").upper()
        filter_problems = []
        if script and script not in {m["name"] for m in modules}:
            filter_problems.append(f"script: no userscript {script!r} to show; showing every script.")
            script = ""
        if level and level not in LOG_LEVELS:
            filter_problems.append(f"level: {level!r} is not a log level (one of {', '.join(LOG_LEVELS)}).")
            level = ""
        return render(request, "netbox_userscripts/netbox/userscripts.html", {
            "modules": modules,
            "loaded": sum(1 for m in modules if m["state"] == "loaded"),
            "scripts": scripts,
            "rules": {m["name"]: [call for call in calls if call.module == m["name"]] for m in modules},
            "broken_rules": [call for call in calls if call.problem],
            "root": registry.root,
            "watcher": watcher.kind if watcher else None,
            "script": script,
            "level": level,
            "levels": LOG_LEVELS,
            "filter_problems": filter_problems,
            "schedules": only_visible(scheduler.describe(), visible, lambda row: row["task"].partition(".")[0]),
            "task_runs": visible_task_runs(request.user, script=script or None, limit=20),
            "processes": process_rows() if request.user.has_perm(VIEW_PROCESSES_PERMISSION) else None,
            "hook_costs": [hookstats.readable(row) for row in hookstats.costs(visible)],
            "setting_problems": checks.problems.found,
        })


class ScriptView(LoginRequiredMixin, View):
    """A NetBox script from the userscripts: its form, and a synchronous run recorded as a ``core.Job``."""

    def dispatch(self, request, name):
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # to the login page
        module = name.partition(".")[0]
        if not request.user.has_perm(RUN_PERMISSION) or not permissions.allows(request.user, RUN_PERMISSION, module):
            raise PermissionDenied(f"Permission {RUN_PERMISSION} is required for the userscript {module}.")
        try:
            self.cls = jobs.get_script(name)
        except LookupError as exc:
            raise Http404(str(exc)) from exc
        self.name = name
        return super().dispatch(request, name)

    def get(self, request, name):
        return self._render(request, jobs.script_form(self.cls, request.user, initial=request.GET.dict()))

    def post(self, request, name):
        form = jobs.script_form(self.cls, request.user, request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form)
        try:
            job = jobs.run(name, request.POST, user=request.user, commit=form.cleaned_data.get("_commit", False),
                           request=request, files=request.FILES)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
            return self._render(request, form)
        if job.status == JobStatusChoices.STATUS_SCHEDULED and not any_workers_for_queue(job.queue_name):
            messages.warning(request, f"Job {job.pk} is scheduled, but no rqworker is running: "
                                      f"it runs when one starts (netbox rqworker).")
        return redirect("plugins:netbox_userscripts:result", pk=job.pk)

    def _render(self, request, form):
        return render(request, "netbox_userscripts/netbox/script.html",
                      {"name": self.name, "script": self.cls(), "form": form})


class ResultView(LoginRequiredMixin, View):
    """A run's result as NetBox shows its own scripts' (``results``): to whoever started it or may view the job,
    among the modules their ``view`` permission names."""

    def get(self, request, pk):
        job = Job.objects.filter(pk=pk).first()
        if job is None or not results.is_userscript_run(job):
            raise Http404(f"No userscript run {pk}.")
        module = results.module_of(job)
        if not request.user.has_perm(VIEW_PERMISSION) or not permissions.allows(request.user, VIEW_PERMISSION, module):
            raise PermissionDenied(f"Permission {VIEW_PERMISSION} is required for the userscript {module}.")
        if not results.may_view(request.user, job):
            raise PermissionDenied("Only who started this run, or may view NetBox's jobs, may see its result.")
        context = results.result_context(job, request)
        if htmx_partial(request):  # the pending result's refresh; 286 stops htmx's polling once it is done
            return render(request, "netbox_userscripts/netbox/inc/result.html", context,
                          status=286 if job.completed else 200)
        runnable = permissions.allows(request.user, RUN_PERMISSION, module) and _exists(job.name)
        return render(request, "netbox_userscripts/netbox/result.html", {**context, "runnable": runnable})


def _exists(script_name):
    try:
        jobs.get_script(script_name)
    except LookupError:
        return False
    return True
