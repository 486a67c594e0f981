"""The ``Userscript`` table: a row per module (name, state, version, last loaded), written by the heartbeat."""
import hashlib

import pytest

from netbox_userscripts.fleet.moduletable import ModuleTable
from netbox_userscripts.fleet.processes import Heartbeat
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.models import Userscript

pytestmark = pytest.mark.django_db


def rows():
    return {u.name: (u.state, u.version, u.error) for u in Userscript.objects.all()}


def test_each_module_gets_a_row_with_its_state_and_version(userscripts):
    path = userscripts.write("good.py", "def call(**kwargs):\n    return 1\n")
    userscripts.write("bad.py", "raise RuntimeError('no import')\n")
    userscripts.load()
    ModuleTable().record(registry.modules())
    assert rows() == {"good": ("loaded", hashlib.sha256(path.read_bytes()).hexdigest()[:12], ""),
                      "bad": ("error", rows()["bad"][1], "RuntimeError: no import")}
    assert Userscript.objects.get(name="good").last_loaded == registry.get("good").loaded_at


def test_a_reload_updates_the_row_and_a_deleted_module_keeps_it_marked_deleted(userscripts):
    table = ModuleTable()
    userscripts.write("kept.py", "X = 1\n")
    userscripts.write("gone.py", "X = 1\n")
    userscripts.load()
    table.record(registry.modules())
    first = Userscript.objects.get(name="kept")
    path = userscripts.write("kept.py", "X = 2\n")
    (userscripts.root / "gone.py").unlink()
    registry.refresh()
    table.record(registry.modules())
    kept = Userscript.objects.get(name="kept")
    assert kept.pk == first.pk and kept.version == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert kept.version != first.version and kept.last_loaded > first.last_loaded
    assert Userscript.objects.get(name="gone").state == "deleted"


def test_an_unchanged_registry_writes_nothing(userscripts, django_assert_num_queries):
    table = ModuleTable()
    userscripts.write("steady.py", "X = 1\n")
    userscripts.load()
    table.record(registry.modules())
    with django_assert_num_queries(0):
        table.record(registry.modules())


def test_a_new_process_marks_modules_deleted_before_it_started(userscripts):
    Userscript.objects.create(name="long_gone", state="loaded")
    userscripts.write("here.py", "X = 1\n")
    userscripts.load()
    ModuleTable().record(registry.modules())
    assert rows()["long_gone"][0] == "deleted" and rows()["here"][0] == "loaded"


def test_the_heartbeat_keeps_the_rows(userscripts):
    userscripts.write("beating.py", "X = 1\n")
    userscripts.load()
    Heartbeat("web").write()
    assert rows()["beating"][0] == "loaded"
