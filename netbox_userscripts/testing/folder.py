"""Userscripts loaded for one test: a folder, or some of its files, then the registry as it was.

The engine's registry is one per process; a test borrows it. ``UserscriptsUnderTest.load``
loads the modules as the server would (the same loader, receivers and slots); ``restore``
unloads them and puts back what the process had loaded before (its root's modules, loaded
again) and the ``userscripts`` package of ``sys.modules`` as it was.
"""
import sys
from pathlib import Path

from netbox_userscripts.loading.loader import PACKAGE
from netbox_userscripts.loading.registry import registry


class UserscriptNotLoaded(AssertionError):
    """A userscript the test asked for did not import; the message holds its traceback."""


def _package_modules():
    return {name: module for name, module in sys.modules.items()
            if name == PACKAGE or name.startswith(PACKAGE + ".")}


class UserscriptsUnderTest:
    """The test's userscripts: ``load()`` them, get a module by name with ``[NAME]``."""

    def __init__(self):
        self.previous_root = registry.root
        self.previous_modules = _package_modules()
        self.modules = {}

    def load(self, *paths):
        """Load the userscripts of a folder, or the given ``.py`` files (all in one folder), for this test.

        Returns ``{NAME: module}``. A file that fails to import fails the test with its
        traceback, so a broken userscript reads as what is wrong with it.
        """
        if not paths:
            raise TypeError("Give load() a folder of userscripts or one or more userscript files.")
        paths = [Path(path).resolve() for path in paths]
        if len(paths) == 1 and paths[0].is_dir():
            folder, names = paths[0], None
        else:
            missing = [str(path) for path in paths if not path.is_file() or path.suffix != ".py"]
            if missing:
                raise FileNotFoundError(f"No userscript file (NAME.py) at {', '.join(missing)}.")
            folders = {path.parent for path in paths}
            if len(folders) > 1:
                raise ValueError(f"Load files of one folder at a time (their helpers import from it): "
                                 f"{', '.join(sorted(map(str, folders)))}.")
            folder, names = folders.pop(), [path.stem for path in paths]
        registry.load_all(folder, names)
        loaded = [script.name for script in registry.modules()] if names is None else names
        for name in loaded:
            script = registry.get(name)
            if script is None or not script.loaded:
                raise UserscriptNotLoaded(f"{name}.py did not load:\n{script.traceback if script else '(not found)'}")
            self.modules[name] = script.module
        return {name: self.modules[name] for name in loaded}

    def __getitem__(self, name):
        return self.modules[name]

    def restore(self):
        """Unload the test's modules and load again what the process had before."""
        registry.unload_all()
        for name in _package_modules():
            del sys.modules[name]
        sys.modules.update(self.previous_modules)
        if self.previous_root is not None:
            registry.load_all(self.previous_root)
        else:
            registry.root = None
