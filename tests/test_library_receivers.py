"""A library's receivers stay the library's, even when a userscript is the first to import it.

Only receivers defined in a userscript module or in a helper package under USERSCRIPTS_ROOT
are captured as the userscript's; a module elsewhere on ``sys.path`` that connects a
receiver at import is connected as Django would, and survives the userscript's reload and
deletion.
"""
import os
import sys
import textwrap
import time

import pytest
import requests
from django.contrib.auth.models import Group

from netbox_userscripts.loading.registry import registry
from tests.gunicorn import GUNICORN, serve, wait_until, write_atomically, write_configuration
from tests.project import SANDBOX, environment

LIBRARY = """
from django.dispatch import receiver
from netbox_userscripts.signals import post_save, pre_request

saved = []
requests_seen = [0]

@receiver(post_save)
def library_saw_save(sender, instance, **kwargs):
    saved.append(str(instance))

@receiver(pre_request)
def library_saw_request(sender, request, **kwargs):
    requests_seen[0] += 1
"""

USER = """
import {library}
from django.dispatch import receiver
from netbox_userscripts.signals import post_save

@receiver(post_save)
def script_saw_save(sender, instance, **kwargs):
    logger.info("script saw %s", instance)

def call(**kwargs):
    return "{version}"
"""


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A module outside USERSCRIPTS_ROOT, importable and not yet imported; yields its name."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    name = f"library_hooks_{os.getpid()}_{time.monotonic_ns()}"
    (folder / f"{name}.py").write_text(textwrap.dedent(LIBRARY))
    monkeypatch.syspath_prepend(str(folder))
    yield name
    module = sys.modules.pop(name, None)
    if module is not None:
        from netbox_userscripts.signals import post_save, pre_request

        post_save.disconnect(module.library_saw_save)
        pre_request.disconnect(module.library_saw_request)


def test_library_receivers_are_not_the_userscripts(userscripts, library, db):
    userscripts.write("uses_lib.py", USER.format(library=library, version="v1"))
    userscripts.write("helpers/__init__.py", "")
    userscripts.write("helpers/hooks.py", "from netbox_userscripts.signals import post_save\n"
                                          "def helper_saw_save(sender, **kwargs):\n    pass\n"
                                          "post_save.connect(helper_saw_save)\n")
    userscripts.write("uses_helper.py", "from userscripts.helpers import hooks\n")
    userscripts.load()
    listed = [r["receiver"] for r in registry.get("uses_lib").receivers]
    assert listed == ["script_saw_save"]  # the library's receiver is not listed as the script's
    assert [r["receiver"] for r in registry.get("uses_helper").receivers] == ["helper_saw_save"]
    module = sys.modules[library]

    Group.objects.create(name="before")
    userscripts.write("uses_lib.py", USER.format(library=library, version="v2"))
    registry.load("uses_lib")  # a reload
    Group.objects.create(name="after-reload")
    registry.unload("uses_lib")  # what deleting the file does
    Group.objects.create(name="after-delete")
    assert module.saved == ["before", "after-reload", "after-delete"]


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_library_receivers_survive_reload_and_delete_in_a_live_server(tmp_path, library):
    root = tmp_path / "scripts"
    root.mkdir()
    write_atomically(root / "uses_lib.py", USER.format(library=library, version="v1"))
    write_atomically(root / "probe.py", textwrap.dedent(f"""
        import sys
        def call(**kwargs):
            module = sys.modules.get({library!r})
            return str(module.requests_seen[0]) if module else "not imported"
        """))
    config = write_configuration(tmp_path, root, anonymous_calls=["probe", "uses_lib"])
    env = environment(config, PYTHONPATH=os.pathsep.join([str(tmp_path / "site-packages"), str(SANDBOX)]))
    with serve(config, env=env) as server:
        base = f"{server}/userscript/?script="

        def get(script):
            return requests.get(base + script, timeout=5).text

        def wait_for(script, expected):
            wait_until(lambda: get(script) == expected, message=f"{script} never answered {expected!r}")

        def library_counts():
            first = int(get("probe"))
            return first, int(get("probe"))

        wait_for("uses_lib", "v1")
        before, after = library_counts()
        assert after > before  # the library's pre_request receiver counts every request

        write_atomically(root / "uses_lib.py", USER.format(library=library, version="v2"))
        wait_for("uses_lib", "v2")  # reloaded
        before, after = library_counts()
        assert after > before, "the library's receiver was disconnected by the userscript's reload"

        (root / "uses_lib.py").unlink()
        deadline = time.monotonic() + 10
        while requests.get(base + "uses_lib", timeout=5).status_code != 404:
            assert time.monotonic() < deadline, "uses_lib.py was not unloaded"
            time.sleep(0.1)
        before, after = library_counts()
        assert after > before, "the library's receiver was disconnected when the userscript was deleted"
