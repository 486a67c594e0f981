"""Imports one userscript file as ``userscripts.NAME`` and says what it defined.

The module is compiled from its source every time (never from a cached ``.pyc``, which
can be stale after quick edits), with its ``logger`` global placed before its code runs.
Receivers it connects are captured, not connected (see ``receivers``); the registry
connects them once the import succeeded. An import that fails returns a ``LoadedModule``
in the ``error`` state carrying the traceback; the registry writes it to the script's log
(``UserscriptRegistry.load``), a trial import (``fleet.sync``) reports it its own way.
"""
import builtins
import importlib.util
import keyword
import re
import sys
import time
import traceback
import types
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from netbox_userscripts.hooks.failures import one_line
from netbox_userscripts.hooks.receivers import Connections
from netbox_userscripts.log import central as log
from netbox_userscripts.scripts.discovery import find_jobs

PACKAGE = "userscripts"
NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def is_userscript_name(name):
    """A userscript is ``NAME.py`` with NAME an identifier that does not start with ``_``."""
    return bool(NAME_RE.match(name)) and not keyword.iskeyword(name)


@dataclass
class LoadedModule:
    """The record of one userscript module as loaded (or as it failed to load)."""

    name: str
    path: Path
    state: str = "loaded"  # or "error"
    error: str = ""
    traceback: str = ""
    loaded_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    load_seconds: float = 0.0
    module: types.ModuleType = None
    connections: Connections = None
    call: object = None
    jobs: dict = field(default_factory=dict)
    imports: set = field(default_factory=set)

    @property
    def loaded(self):
        return self.state == "loaded"

    @property
    def filename(self):
        return f"{self.name}.py"

    @property
    def receivers(self):
        return [c.describe() for c in self.connections.items] if self.connections else []

    def summary(self):
        """What it defines, for its "loaded" line: "1 receiver, call()", "2 jobs", "nothing to run"."""
        count = len(self.receivers)
        parts = [f"{count} receiver{'s' if count != 1 else ''}"] if count else []
        parts += ["call()"] if self.call is not None else []
        parts += [f"{len(self.jobs)} job{'s' if len(self.jobs) != 1 else ''}"] if self.jobs else []
        return ", ".join(parts) or "nothing to run"

    def as_dict(self):
        return {
            "name": self.name,
            "file": str(self.path),
            "state": self.state,
            "error": self.error,
            "traceback": self.traceback,
            "loaded_at": self.loaded_at.isoformat(),
            "load_seconds": round(self.load_seconds, 6),
            "receivers": self.receivers,
            "call": self.call is not None,
            "jobs": sorted(self.jobs),
        }


def ensure_package(root):
    """Make ``userscripts`` the package whose path is ``root``, so helpers beside the modules import."""
    root = str(Path(root).resolve())
    package = sys.modules.get(PACKAGE)
    if package is None or list(getattr(package, "__path__", [])) != [root]:
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]
        spec = importlib.machinery.ModuleSpec(PACKAGE, None, is_package=True)
        spec.submodule_search_locations = [root]
        package = importlib.util.module_from_spec(spec)
        package.__path__ = [root]
        package.__file__ = None
        sys.modules[PACKAGE] = package
    return package


def import_userscript(name, path):
    """Import ``path`` as ``userscripts.NAME`` into a fresh module; never raises."""
    path = Path(path)
    logger = log.logger_for(name)
    fullname = f"{PACKAGE}.{name}"
    started = time.perf_counter()
    spec = importlib.util.spec_from_file_location(fullname, path)
    module = importlib.util.module_from_spec(spec)
    module.logger = logger
    connections = Connections(logger, PACKAGE)
    imports = set()
    module.__builtins__ = _recording_builtins(module, imports)
    previous = sys.modules.get(fullname)
    sys.modules[fullname] = module  # the module sees itself while it runs (dataclasses, pickling)
    try:
        code = compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        with connections:
            exec(code, module.__dict__)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt at import are failures too
        if previous is not None:
            sys.modules[fullname] = previous
        else:
            sys.modules.pop(fullname, None)
        tb = traceback.format_exc()
        return LoadedModule(name=name, path=path, state="error", error=one_line(exc), traceback=tb,
                          load_seconds=time.perf_counter() - started, connections=Connections(logger, PACKAGE))
    call = getattr(module, "call", None)
    script = LoadedModule(
        name=name, path=path, module=module, connections=connections,
        call=call if callable(call) else None,
        jobs=find_jobs(module),
        imports=imports,
        load_seconds=time.perf_counter() - started,
    )
    return script


def _recording_builtins(module, imports):
    """Builtins whose ``__import__`` notes every ``userscripts.*`` name the module imports.

    The reloader uses these names to reload the modules that use a helper package when a
    file of that package changes, whether or not another module imported it first.
    """
    def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
        found = builtins.__import__(name, globals, locals, fromlist, level)
        absolute = importlib.util.resolve_name("." * level + name, module.__package__) if level else name
        if absolute == PACKAGE or absolute.startswith(PACKAGE + "."):
            imports.add(absolute)
            imports.update(f"{absolute}.{item}" for item in fromlist or () if item != "*")
        return found

    return {**builtins.__dict__, "__import__": recording_import}
