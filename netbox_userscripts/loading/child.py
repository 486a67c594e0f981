"""A child Python process of this project, for work that must not touch the calling process.

A version's trial (``fleet.trial``) and ``userscripts_check`` (``loading.inspection``) import
userscripts in a process of their own: this starts it with the caller's environment, its
settings module and its ``sys.path``, running ``python -m MODULE ARGS...``, and bounds it.
"""
import os
import subprocess
import sys
from pathlib import Path


def python_executable():
    """This environment's Python: ``sys.executable``, unless the process is not run by ``python`` (uWSGI embeds
    the interpreter and names itself there), then the environment's ``bin/python3``."""
    if Path(sys.executable).name.startswith("python"):
        return sys.executable
    return str(Path(sys.prefix) / "bin" / "python3")


def run_child(module, args, timeout, extra_env=None, drop_env=()):
    """Run ``python -m module *args`` to its end (``subprocess.TimeoutExpired`` after ``timeout`` seconds).

    The child gets this process's environment (``extra_env`` added, ``drop_env`` names removed)
    and its ``sys.path`` as ``PYTHONPATH``; its output is captured, as text.
    """
    env = {**os.environ, **(extra_env or {}), "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    for name in drop_env:
        env.pop(name, None)
    return subprocess.run([python_executable(), "-m", module, *map(str, args)], env=env, cwd=os.getcwd(),
                          capture_output=True, text=True, timeout=timeout)
