"""Shared fixtures: userscript folders written per test, the central log, users and tokens."""
import textwrap

import pytest
from django.conf import settings as django_settings

from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log

# The plugin's tests need a real NetBox: tests/netbox_plugin/harness.py runs them (make test does).
collect_ignore = ["netbox_plugin"]


class UserscriptFolder:
    """A temporary USERSCRIPTS_ROOT: write files into it, then load the registry from it."""

    def __init__(self, root):
        self.root = root

    def write(self, name, source):
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        return path

    def load(self):
        registry.load_all(self.root)
        return registry

    def load_module(self, name, source):
        """Write ``name.py``, load the folder, and fail the test with the traceback if it did not load."""
        self.write(f"{name}.py", source)
        self.load()
        return self.loaded(name)

    def load_files(self, *paths):
        """Copy the files ``paths`` (shipped userscripts, documented examples) in and load the folder, as
        ``load_module``; their modules by name."""
        for path in paths:
            self.write(path.name, path.read_text())
        self.load()
        return {path.stem: self.loaded(path.stem) for path in paths}

    def loaded(self, name):
        script = registry.get(name)
        assert script is not None and script.loaded, script.traceback if script else f"{name}.py was not found"
        return script.module


@pytest.fixture
def central_log(tmp_path):
    """The central log, redirected to a fresh file for this test; yields its path."""
    path = tmp_path / "logs" / "userscripts.log"
    path.parent.mkdir()
    log.configure(filename=str(path))
    yield path
    log.configure()


@pytest.fixture
def userscripts(tmp_path, settings, central_log):
    """An empty userscripts folder made the root; the registry is emptied again afterwards."""
    original = django_settings.USERSCRIPTS_ROOT
    root = tmp_path / "userscripts"
    root.mkdir()
    settings.USERSCRIPTS_ROOT = str(root)
    folder = UserscriptFolder(root)
    folder.log = central_log
    yield folder
    registry.load_all(original)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="admin")


@pytest.fixture
def token_for():
    """``token_for(user)`` returns a new API token key."""
    from rest_framework.authtoken.models import Token

    def make(user):
        return Token.objects.create(user=user).key

    return make
