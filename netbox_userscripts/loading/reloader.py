"""Hot reload: watch ``USERSCRIPTS_ROOT`` and reload what changed, within a second.

A watchdog observer (inotify, or polling where inotify is unavailable) reports file
events; they are debounced (editors write, rename and delete in bursts) and then, for
each userscript touched, the registry imports the new version and swaps it in, or
unloads a deleted file. A change inside a helper package beside the modules reloads
the modules that import it.

One watcher runs per serving process: ``runserver``'s serving child, ``runserver
--noreload``, and each gunicorn worker (``netbox/wsgi.py`` starts it). Other management
commands and the test runner do not start it unless ``USERSCRIPTS_WATCH=1`` is set.
"""
import logging
import os
import sys
import threading
from pathlib import Path

from django.db import connections
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from netbox_userscripts.conf import setting
from netbox_userscripts.loading import loader
from netbox_userscripts.loading.registry import registry as default_registry

logger = logging.getLogger("netbox_userscripts.loading.reloader")


class Reloader(FileSystemEventHandler):
    """Debounces file events under ``root`` and applies them to the registry."""

    def __init__(self, registry, root, debounce=0.1, polling=False):
        super().__init__()
        self.registry = registry
        self.root = Path(root).resolve()
        self.debounce = debounce
        self.force_polling = polling
        self.observer = None
        self._pending = set()  # paths touched since the last flush
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._timer = None
        self.reloads = 0  # flushes applied, for tests and the status page

    # Observer ------------------------------------------------------------------------

    def start(self):
        if self.observer is not None:
            return self
        try:
            self.observer = PollingObserver(timeout=0.25) if self.force_polling else Observer()
            self.observer.schedule(self, str(self.root), recursive=True)
            self.observer.start()
        except OSError as exc:  # out of inotify watches or instances: poll instead
            logger.warning("inotify unavailable for %s (%s); polling instead", self.root, exc)
            self.observer = PollingObserver(timeout=0.25)
            self.observer.schedule(self, str(self.root), recursive=True)
            self.observer.start()
        return self

    def stop(self):
        if self._timer is not None:
            self._timer.cancel()
        if self.observer is not None:
            self.observer.stop()
            self.observer.join(timeout=5)
            self.observer = None

    @property
    def kind(self):
        return "polling" if isinstance(self.observer, PollingObserver) else "inotify"

    # Events --------------------------------------------------------------------------

    def on_any_event(self, event):
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        relevant = [Path(os.fsdecode(p)) for p in paths if p and self._relevant(os.fsdecode(p))]
        if not relevant:
            return
        with self._lock:
            self._pending.update(relevant)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce, self.flush)
            self._timer.daemon = True
            self._timer.start()

    def _relevant(self, path):
        return path.endswith(".py") and "__pycache__" not in path

    def flush(self):
        """Apply the pending changes: reload, load or unload each module touched.

        Flushes run one at a time (a slow import may outlast the debounce), so that an
        older version can never be swapped in after a newer one.
        """
        with self._flush_lock:
            self._flush()

    def _flush(self):
        with self._lock:
            pending, self._pending = self._pending, set()
            self._timer = None
        names, packages = set(), set()
        for path in pending:
            try:
                relative = path.resolve().relative_to(self.root) if path.exists() else path.relative_to(self.root)
            except ValueError:
                continue
            if len(relative.parts) == 1:
                if loader.is_userscript_name(relative.stem):
                    names.add(relative.stem)
            elif not relative.parts[0].startswith((".", "_")) or relative.parts[0] == "__init__.py":
                packages.add(f"{loader.PACKAGE}.{relative.parts[0]}")
        if packages:
            names |= self._forget_packages(packages)
        for name in sorted(names):
            path = self.root / f"{name}.py"
            if path.is_file() and path.stat().st_size == 0 and self.registry.get(name) is not None:
                continue  # truncated by an editor that is still writing: its next event reloads
            if path.is_file():
                self.registry.load(name)  # its line in the central log: loaded, or failed to load
            elif self.registry.get(name) is not None:
                self.registry.unload(name)
                loader.log.logger_for(name).info("%s.py deleted: unloaded", name)
        self.reloads += 1
        connections.close_all()  # this timer thread's own database connections, if a script opened one

    def _forget_packages(self, packages):
        """Drop changed helper packages from ``sys.modules``; return the modules that use them."""
        for name in list(sys.modules):
            if any(name == p or name.startswith(p + ".") for p in packages):
                del sys.modules[name]
        return {script.name for script in self.registry.modules()
                if any(i == p or i.startswith(p + ".") for i in script.imports for p in packages)}


_reloader = None
_start_lock = threading.Lock()


def start(registry=None, root=None, polling=None):
    """Start this process's watcher once (later calls return the running one)."""
    global _reloader
    with _start_lock:
        if _reloader is None:
            registry = registry or default_registry
            polling = os.environ.get("USERSCRIPTS_WATCH_POLLING") == "1" if polling is None else polling
            root = root or registry.root or setting("USERSCRIPTS_ROOT")
            _reloader = Reloader(registry, root, polling=polling).start()
            if hasattr(os, "register_at_fork"):
                os.register_at_fork(after_in_child=_restart_in_child)
        return _reloader


def stop():
    global _reloader
    with _start_lock:
        if _reloader is not None:
            _reloader.stop()
            _reloader = None


def current():
    return _reloader


def _restart_in_child():
    """A forked worker (gunicorn --preload) has no observer thread: give it its own.

    Only a web worker: the children rqworker forks (RQ's scheduler, a process per job) serve
    nothing, and a watcher there would reload, and log, each change once more.
    """
    global _reloader
    if _reloader is not None and default_registry.log_label != "web":
        _reloader = None
    elif _reloader is not None:
        _reloader = None
        threading.Thread(target=start, daemon=True).start()


def is_serving_process(argv=None):
    """True where a watcher belongs: runserver's serving child or ``runserver --noreload``."""
    argv = sys.argv if argv is None else argv
    if os.environ.get("USERSCRIPTS_WATCH") == "1":
        return True
    if len(argv) > 1 and argv[1] == "runserver":
        return os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv
    return False


def autostart():
    """Called from ``ready()``: start watching when enabled and in a serving process."""
    if setting("USERSCRIPTS_AUTORELOAD") and is_serving_process():
        return start()
    return None


def ignore_in_django_autoreload(sender, file_path, **kwargs):
    """``file_changed`` receiver: a userscript change is ours to reload, not runserver's to restart."""
    root = setting("USERSCRIPTS_ROOT")
    try:
        Path(file_path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return None
    return True
