"""Finds the jobs a userscript module defines, and finds a job again by its name.

The loader calls ``find_jobs`` after importing a module; the registry keeps the result.
A job is addressed by its class path ``local/MODULE/ClassName`` (Nautobot) or its NetBox
name ``MODULE.ClassName``; ``resolve`` accepts either (and ``MODULE/ClassName``).
"""
import inspect

from netbox_userscripts.jobs.base import GROUPING, Job, info


def find_jobs(module):
    """``{ClassName: class}`` for the Job subclasses defined in ``module``, in definition order.

    Classes merely imported into the module are not its jobs, and a class whose Meta says
    ``abstract = True`` is a base for other jobs, not a job.
    """
    jobs = {}
    for name, obj in vars(module).items():
        if (inspect.isclass(obj) and issubclass(obj, Job) and obj is not Job
                and obj.__module__ == module.__name__ and obj.__name__ == name
                and not obj.__dict__.get("Meta", object).__dict__.get("abstract", False)):
            info(obj)  # read it now: a broken Meta shows at load time, not at the first run
            jobs[name] = obj
    return jobs


def split_name(name):
    """``(module, class name)`` from a class path or NetBox name, or None if it is neither."""
    if not isinstance(name, str):
        return None
    parts = name.strip("/").split("/")
    if len(parts) == 3 and parts[0] == GROUPING:
        parts = parts[1:]
    if len(parts) == 1 and parts[0].count(".") == 1:
        parts = parts[0].split(".")
    if len(parts) != 2 or not all(p.isidentifier() for p in parts):
        return None
    return parts[0], parts[1]


def resolve(name):
    """The job class for ``name`` among the loaded userscripts, or None."""
    from netbox_userscripts.registry import registry

    parts = split_name(name)
    return registry.get_job(*parts) if parts else None


def all_jobs(include_hidden=False):
    """``[(module display name, module name, [job classes])]`` over the loaded userscripts."""
    from netbox_userscripts.registry import registry

    groups = []
    for script in registry.modules():
        if not script.loaded or not script.jobs:
            continue
        classes = [cls for cls in script.jobs.values() if include_hidden or not info(cls).hidden]
        if classes:
            groups.append((module_display_name(script.module), script.name, classes))
    return groups


def module_display_name(module):
    """The module's ``name`` global when it is a string, else its file name."""
    name = getattr(module, "name", None)
    return name if isinstance(name, str) and name else module.__name__.rpartition(".")[2]


def module_label(module_name):
    """The display name of the loaded userscript ``module_name`` (its file name if it has none)."""
    from netbox_userscripts.registry import registry

    script = registry.get(module_name)
    return module_display_name(script.module) if script is not None and script.loaded else module_name
