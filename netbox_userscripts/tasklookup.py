"""Which userscript function a task run names, looked up in the registry's version in use of its module.

Every worker (the database worker, NetBox's ``rqworker`` through the plugin) asks here, so
that a task runs the module as hot reload left it, and one whose module or function is
gone ends failed with a message that says which.
"""
from netbox_userscripts.loader import PACKAGE
from netbox_userscripts.registry import registry
from netbox_userscripts.tasks import Task


def split_task_path(task_path):
    """``(module name, function name)`` of ``userscripts.MODULE.FUNCTION``, or None for other tasks."""
    parts = task_path.split(".")
    if len(parts) != 3 or parts[0] != PACKAGE:
        return None
    return parts[1], parts[2]


def missing_reason(task_path):
    """Why the task at ``task_path`` cannot run now (its module or function is gone), or None."""
    names = split_task_path(task_path)
    if names is None:
        return None
    module_name, function_name = names
    script = registry.get(module_name)
    if script is None:
        return f"userscript {module_name} is not loaded: {module_name}.py no longer exists in {registry.root}."
    if not script.loaded:
        return f"userscript {module_name} failed to load: {script.error}"
    if not isinstance(getattr(script.module, function_name, None), Task):
        return f"userscript {module_name} defines no task {function_name} (it was removed or renamed)."
    return None
