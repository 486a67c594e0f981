"""Finds the jobs a userscript module defines; the loader calls it after each import.

Finding a job again by its name is the registry's (``registry.get_job``).
"""
import inspect

from netbox_userscripts.scripts.base import Job
from netbox_userscripts.scripts.introspection import info


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
