"""Finds the jobs a userscript module defines (filled in by the Job/Var API)."""


def find_jobs(module):
    """Return ``{ClassName: class}`` for the Job subclasses defined in ``module``, in definition order."""
    return {}
