"""Which userscript function a task run names, looked up in the registry's version in use of its module.

Every worker (the database worker, NetBox's ``rqworker`` through the plugin) asks here, so
that a task runs the module as hot reload left it, and one whose module or function is
gone ends failed with a message that says which.
"""
from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.tasks.decorator import Task


def split_task_path(task_path):
    """``(module name, function name)`` of ``userscripts.MODULE.FUNCTION``, or None for other tasks."""
    parts = task_path.split(".")
    if len(parts) != 3 or parts[0] != PACKAGE:
        return None
    return parts[1], parts[2]


def find_task(task_path):
    """The task ``task_path`` names, in the registry's version in use of its module.

    Raises ``LookupError`` saying why when it cannot run now: not a userscript's task, its
    module gone or failed to load, or no such task in it.
    """
    names = split_task_path(task_path)
    if names is None:
        raise LookupError(f"{task_path} is not a userscript's task ({PACKAGE}.MODULE.FUNCTION).")
    module_name, function_name = names
    script = registry.get(module_name)
    if script is None:
        raise LookupError(f"userscript {module_name} is not loaded: {module_name}.py no longer exists in "
                          f"{registry.root}.")
    if not script.loaded:
        raise LookupError(f"userscript {module_name} failed to load: {script.error}")
    found = getattr(script.module, function_name, None)
    if not isinstance(found, Task):
        raise LookupError(f"userscript {module_name} defines no task {function_name} (it was removed or renamed).")
    return found


def missing_reason(task_path):
    """Why the userscript task at ``task_path`` cannot run now (``find_task``'s message), or None.

    None too for a task that is not a userscript's: its own backend finds it.
    """
    if split_task_path(task_path) is None:
        return None
    try:
        find_task(task_path)
    except LookupError as exc:
        return str(exc)
    return None
