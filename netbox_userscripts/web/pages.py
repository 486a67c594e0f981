"""The ``/userscripts/`` page: every module with its state, schedules and task runs, and a live tail of the log."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from netbox_userscripts.fleet.api import VIEW_PROCESSES_PERMISSION
from netbox_userscripts.fleet.table import process_rows
from netbox_userscripts.loading import reloader
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.metrics import store as hookstats
from netbox_userscripts.tasks import runs as taskruns
from netbox_userscripts.tasks import scheduler


@login_required  # the project's login page, as for every other page
def userscripts_page(request):
    if not request.user.is_staff:
        raise PermissionDenied("The userscripts page is for staff users.")
    watcher = reloader.current()
    modules = registry.describe()
    failed = sum(1 for m in modules if m["state"] != "loaded")
    return render(request, "netbox_userscripts/userscripts.html", {
        "modules": modules,
        "loaded": len(modules) - failed,
        "failed": failed,
        "root": registry.root,
        "watcher": watcher.kind if watcher else None,
        "script": request.GET.get("script", ""),
        "schedules": scheduler.describe(),
        "task_runs": taskruns.recent_runs(script=request.GET.get("script") or None, limit=20),
        "hook_costs": [hookstats.readable(row) for row in hookstats.costs()],
        "processes": process_rows() if request.user.has_perm(VIEW_PROCESSES_PERMISSION) else None,
    })
