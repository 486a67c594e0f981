"""The ``/userscripts/`` page: every module with its state, and a live tail of the log."""
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render

from netbox_userscripts import reloader
from netbox_userscripts.registry import registry


@staff_member_required
def userscripts_page(request):
    watcher = reloader.current()
    return render(request, "netbox_userscripts/userscripts.html", {
        "modules": registry.describe(),
        "root": registry.root,
        "watcher": watcher.kind if watcher else None,
        "script": request.GET.get("script", ""),
    })
