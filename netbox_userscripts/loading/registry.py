"""The registry of loaded userscripts: loading, lookup and unloading, in one object.

Everyone else (views, commands, the reloader, the jobs API) goes through its methods.
Replacing a module is one step under a lock: the new version is imported first, and
only if that succeeded is its record put in place: one assignment that replaces its
receivers (see ``slots``), its ``call`` and its jobs together, so a request or signal on
another thread sees the old version or the new one, never a mix. A version that fails to import
leaves the last good one running and records the failure beside it.
"""
import os
import sys
import threading
from pathlib import Path

from netbox_userscripts.hooks.failures import receiver_failures
from netbox_userscripts.hooks.slots import ReceiverSlots
from netbox_userscripts.loading import loader
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics import families
from netbox_userscripts.metrics.observe import count, set_gauge
from netbox_userscripts.scripts.introspection import info, module_display_name, split_name


class UserscriptRegistry:
    def __init__(self):
        self._scripts = {}  # name -> loader.LoadedModule (the version in use, or the failed one)
        self._failures = {}  # name -> LoadedModule in "error" state while an older version runs
        self._slots = {}  # name -> ReceiverSlots, kept from one version of a module to the next
        self._lock = threading.RLock()
        self.root = None
        # Who this process is in its load lines ("web", then its pid): several processes load the same
        # file, each writes its own line, and the reader sees why. None: write none (set at start-up;
        # a read-only command such as ``manage.py userscripts`` writes nothing to the central log).
        self.log_label = None

    # Loading -------------------------------------------------------------------------

    def load_all(self, root, names=None):
        """Unload everything, then load every userscript of ``root`` (or only those ``names``) in name order."""
        with self._lock:
            self.unload_all()
            self.root = Path(root).resolve()
            loader.ensure_package(self.root)
            for path in self.discover():
                if names is None or path.stem in names:
                    self.load(path.stem, announce=False)  # a start-up: its failures only, not N modules x M processes

    def discover(self):
        """The userscript files of the root, in name order."""
        if self.root is None or not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("*.py") if p.is_file() and loader.is_userscript_name(p.stem))

    def load(self, name, announce=True):
        """Import (or re-import) ``name`` and swap it in if it imported; return the record.

        The central log gets one line: "NAME.py loaded: ..." when it went live (unless not
        ``announce``), "failed to load NAME.py: ..." with the traceback when it did not.
        """
        path = self.root / f"{name}.py"
        if not loader.is_userscript_name(name):
            raise ValueError(f"{name!r} is not a userscript name (an identifier not starting with '_').")
        script = loader.import_userscript(name, path)
        with self._lock:
            current = self._scripts.get(name)
            count(families.LOADS, "reload" if current is not None else "load", "ok" if script.loaded else "error")
            if not script.loaded and current is not None and current.loaded:
                self._failures[name] = script
                self._count_modules()
                self._log_load(script, announce, "; the previous version keeps running")
                return script
            slots = self._slots.get(name)
            if slots is None:
                slots = self._slots[name] = ReceiverSlots(name, lambda: self._scripts.get(name))
            slots.connect(script.connections)
            self._scripts[name] = script  # the swap: receivers, call and jobs at once
            self._failures.pop(name, None)
            slots.prune(script.connections)
            self._count_modules()
        self._log_load(script, announce)
        return script

    def _count_modules(self):
        """The gauges of modules loaded and failed (a module whose last version failed, its previous one running,
        counts as failed: its file is not what runs)."""
        failed = sum(1 for name, script in self._scripts.items() if not script.loaded or name in self._failures)
        set_gauge(families.MODULES, len(self._scripts) - failed, "loaded")
        set_gauge(families.MODULES, failed, "failed")

    def _log_load(self, script, announce, consequence=""):
        if self.log_label is None:
            return
        logger, who = log.logger_for(script.name), f"{self.log_label}, pid {os.getpid()}"  # pid: after a fork too
        if not script.loaded:
            logger.error("failed to load %s: %s%s (%s)\n%s", script.filename, script.error, consequence,
                         who, script.traceback.rstrip())
        elif announce:
            logger.info("%s loaded: %s (%s)", script.filename, script.summary(), who)

    def refresh(self):
        """Load again every module of the root (helper packages re-imported too), unload the deleted ones.

        For a whole new version of the folder (a synced commit): each module is swapped as by
        ``load``, so a module whose new version fails keeps its last good one.
        """
        with self._lock:
            for module in [n for n in sys.modules if n.startswith(loader.PACKAGE + ".")]:
                if module.split(".")[1] not in self._scripts:
                    del sys.modules[module]  # a helper package: its new files are imported afresh
            present = {path.stem for path in self.discover()}
            for name in sorted(set(self._scripts) - present):
                self.unload(name)
            return [self.load(name) for name in sorted(present)]

    def unload(self, name):
        """Disconnect a module's receivers and forget it, its ``call`` and its jobs."""
        with self._lock:
            script = self._scripts.pop(name, None)  # from here on, its slots call nothing
            self._failures.pop(name, None)
            receiver_failures.forget(name)
            slots = self._slots.pop(name, None)
            if slots is not None:
                slots.uninstall()
            if script is None:
                return None
            self._count_modules()
            sys.modules.pop(f"{loader.PACKAGE}.{name}", None)
            return script

    def unload_all(self):
        with self._lock:
            for name in list(self._scripts):
                self.unload(name)

    # Lookup --------------------------------------------------------------------------

    def get(self, name):
        """The record in use for ``name`` (loaded or failed), or None."""
        return self._scripts.get(name)

    def failure(self, name):
        """The last failed import of ``name`` while an older version keeps running, or None."""
        return self._failures.get(name)

    def modules(self):
        """Every record in name order."""
        return [self._scripts[name] for name in sorted(self._scripts)]

    def callable(self, name):
        """The ``call`` function of a loaded module named ``name``, or None.

        Only names the loader loaded are keys here, so a path or any other string finds nothing.
        """
        script = self._scripts.get(name) if isinstance(name, str) else None
        if script is None or not script.loaded:
            return None
        return script.call

    def function(self, name, attribute):
        """The function ``attribute`` of the loaded module ``name``; ``LookupError`` saying what is missing."""
        script = self._scripts.get(name) if isinstance(name, str) else None
        if script is None or not script.loaded:
            raise LookupError(f"No userscript {name!r} is loaded.")
        func = getattr(script.module, attribute, None) if attribute.isidentifier() else None
        if not callable(func):
            raise LookupError(f"The userscript {name!r} has no function {attribute!r}.")
        return func

    def get_job(self, name):
        """The job class named ``name``: its class path ``local/MODULE/ClassName`` or ``MODULE.ClassName``.

        Raises ``LookupError`` when no loaded module defines such a job.
        """
        parts = split_name(name)
        script = self._scripts.get(parts[0]) if parts else None
        job = script.jobs.get(parts[1]) if script is not None and script.loaded else None
        if job is None:
            raise LookupError(f"No job {name!r} is loaded (give local/MODULE/ClassName or MODULE.ClassName).")
        return job

    def job_groups(self, include_hidden=False):
        """``[(module display name, module name, [job classes])]`` over the loaded modules, in name order."""
        groups = []
        for script in self.modules():
            if not script.loaded or not script.jobs:
                continue
            classes = [cls for cls in script.jobs.values() if include_hidden or not info(cls).hidden]
            if classes:
                groups.append((module_display_name(script.module), script.name, classes))
        return groups

    def module_label(self, name):
        """The display name of the loaded module ``name`` (its ``name`` global, else ``name``)."""
        script = self._scripts.get(name)
        return module_display_name(script.module) if script is not None and script.loaded else name

    def describe(self):
        """Every module as a dict (``manage.py userscripts``, the page and the API)."""
        rows = []
        for script in self.modules():
            row = script.as_dict()
            failure = self._failures.get(script.name)
            if failure is not None:
                row["pending_error"] = failure.error
                row["pending_traceback"] = failure.traceback
            hook_failure = receiver_failures.last_error(script.name)
            row["receiver_error"] = hook_failure.as_dict() if hook_failure else None  # until one succeeds
            rows.append(row)
        return rows


registry = UserscriptRegistry()
