"""Load and faults: saves on many threads while the userscript hooking them is rewritten."""
import os
import sys
import threading
import time

import pytest

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from netbox_userscripts import reloader
from netbox_userscripts.registry import registry

HOOK = """
import sys
from dcim.models import Device
from netbox_userscripts.signals import post_save

def saved(sender, instance, created, **kwargs):
    sys._load_calls.append(({version}, instance.pk))

post_save.connect(saved, sender=Device)
"""


@pytest.mark.django_db(transaction=True)
def test_eight_threads_saving_while_the_hook_is_edited(userscripts):
    site = Site.objects.create(name="Load", slug="load")
    maker = Manufacturer.objects.create(name="Acme", slug="acme")
    dtype = DeviceType.objects.create(manufacturer=maker, model="S1", slug="s1")
    role = DeviceRole.objects.create(name="Leaf", slug="leaf")
    sys._load_calls = []
    userscripts.write("hook.py", HOOK.format(version=0))
    userscripts.load()
    watcher = reloader.Reloader(registry, userscripts.root).start()
    errors, stop = [], threading.Event()

    def saver(n):
        from django.db import connection
        try:
            i = 0
            while not stop.is_set():
                Device.objects.create(name=f"t{n}-{i}", site=site, device_type=dtype, role=role)
                i += 1
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=saver, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for version in range(1, 9):  # spaced past the debounce, so that each edit is a reload
            tmp = userscripts.root / ".hook.py.tmp"
            tmp.write_text(HOOK.format(version=version))
            os.replace(tmp, userscripts.root / "hook.py")
            time.sleep(0.2)
        stop.set()
        for t in threads:
            t.join(timeout=120)
    finally:
        watcher.stop()
    calls = sys._load_calls
    del sys._load_calls
    assert errors == []
    pks = [pk for _, pk in calls]
    assert len(pks) > 100
    assert sorted(pks) == sorted(Device.objects.values_list("pk", flat=True))  # each save hooked exactly once
    versions = [v for v, _ in calls]
    assert len(set(versions)) >= 5  # the hook really was replaced while the saves went on
