"""The plugin's pages on NetBox's layout: ``/plugins/userscripts/`` and a script's run form.

``call_userscript`` is the engine's own view, served at ``/userscript/`` and
``/plugins/userscripts/call/``. The page shows only the modules the user's ``view``
permission names (``permissions.visible_modules``), with their scripts and event rules; a
script's form offers only the objects the user may view (``jobs.script_form``).
"""
from core.choices import JobStatusChoices
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from extras.models import EventRule
from netbox_userscripts.api.module_scope import only_visible
from netbox_userscripts.loading import reloader
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.models import Userscript
from netbox_userscripts.netbox_plugin import checks, jobs, permissions
from netbox_userscripts.netbox_plugin.event_rules import SLUG as EVENT_RULE_ACTION
from netbox_userscripts.netbox_plugin.permissions import RUN as RUN_PERMISSION
from netbox_userscripts.netbox_plugin.permissions import VIEW as VIEW_PERMISSION
from netbox_userscripts.web.calls import call_userscript  # noqa: F401  (re-exported for the URL maps)
from utilities.rqworker import any_workers_for_queue


class UserscriptsView(LoginRequiredMixin, View):
    """Every module with its state, receivers, ``call`` and scripts, and a live tail of the log."""

    def get(self, request):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied(f"Permission {VIEW_PERMISSION} is required.")
        watcher = reloader.current()
        visible = permissions.visible_modules(request.user)
        scripts = {}
        for module, class_name, cls in only_visible(jobs.scripts(), visible, lambda script: script[0]):
            scripts.setdefault(module, []).append((f"{module}.{class_name}", getattr(cls, "name", class_name)))
        rules = rules_by_module()
        return render(request, "netbox_userscripts/netbox/userscripts.html", {
            "modules": only_visible(registry.describe(), visible),
            "scripts": scripts,
            "rules": {name: rules[name] for name in only_visible(rules, visible, str)},
            "root": registry.root,
            "watcher": watcher.kind if watcher else None,
            "script": request.GET.get("script", ""),
            "setting_problems": checks.problems.found,
        })


def rules_by_module():
    """``{module name: [event rules calling it]}``: the rules whose action is "Userscript"."""
    rules = EventRule.objects.filter(action_type=EVENT_RULE_ACTION).order_by("name")
    names = dict(Userscript.objects.filter(pk__in=[r.action_object_id for r in rules]).values_list("pk", "name"))
    found = {}
    for rule in rules:
        if rule.action_object_id in names:
            found.setdefault(names[rule.action_object_id], []).append(rule)
    return found


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
        return redirect("core:job", pk=job.pk)

    def _render(self, request, form):
        return render(request, "netbox_userscripts/netbox/script.html",
                      {"name": self.name, "script": self.cls(), "form": form})
