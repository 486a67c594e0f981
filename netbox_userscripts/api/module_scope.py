"""Which userscript modules a user may see in the engine's lists: the modules, the log, the task runs.

The host decides. An app config naming a ``host_visible_modules`` (``"dotted.path"`` to
``function(user)``) is asked: it answers None when the user may see every module, else the
set of module names they may see (NetBox's plugin: the ``Userscript`` rows its object
permissions' constraints leave, ``{"name__in": ["a"]}``). Without one (this project, whose
lists are staff's), whoever may open a list sees every module.

A user limited to some modules sees no record that names no module (the engine's own lines):
such a line may speak of any module.
"""
from django.apps import apps
from django.utils.module_loading import import_string

from netbox_userscripts.tasks import runs as taskruns


def visible_modules(user):
    """None if ``user`` may see every module, else the set of module names they may see."""
    hook = getattr(apps.get_app_config("netbox_userscripts"), "host_visible_modules", None)
    return import_string(hook)(user) if hook else None


def only_visible(items, modules, name=lambda item: item["name"]):
    """``items`` whose module (``name(item)``) is in ``modules``; all of them when ``modules`` is None."""
    return list(items) if modules is None else [item for item in items if name(item) in modules]


def asked_for(script, modules):
    """The modules to read for a ``?script=`` filter: ``[script]`` or every visible one (None: all at once)."""
    if script:
        return [script] if modules is None or script in modules else []
    return None if modules is None else sorted(modules)


def visible_task_runs(user, script=None, status=None, limit=50):
    """The latest task runs of the modules ``user`` may see (of ``script`` only, if named), newest first."""
    modules = visible_modules(user)
    if modules is None:
        return taskruns.recent_runs(script=script, status=status, limit=limit)
    # each visible module's latest, merged newest first
    rows = [row for name in asked_for(script, modules)
            for row in taskruns.recent_runs(script=name, status=status, limit=limit)]
    return sorted(rows, key=lambda row: row["enqueued_at"] or "", reverse=True)[:limit]
