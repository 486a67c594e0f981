"""Which userscript task a task path names, asked of the registry: the database worker's and NetBox's jobs' lookup.

A userscript task's path is ``userscripts.MODULE.FUNCTION``. A worker runs the version of
the module in use (so hot reload reaches workers too), never a file imported behind the
registry's back; a task whose module or function is gone is refused with the reason.
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


def find_task(task_path):
    """The ``Task`` in use at ``task_path``; ``LookupError`` saying why there is none."""
    reason = missing_reason(task_path)
    names = split_task_path(task_path)
    if reason is None and names is None:
        reason = f"{task_path} is not a userscript task (userscripts.MODULE.FUNCTION)."
    if reason is not None:
        raise LookupError(reason)
    return getattr(registry.get(names[0]).module, names[1])
