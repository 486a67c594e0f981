"""Load and faults: saves on many threads while the userscript hooking them is rewritten."""
import os
import sys
import threading
import time

import pytest

from dcim.models import Device, DeviceRole, DeviceType, Manufacturer, Site
from netbox_userscripts.loading import reloader
from netbox_userscripts.loading.registry import registry

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


SLOW = """
import time
from django.contrib.auth.models import Group
from netbox_userscripts.signals import post_save

def slow(sender, instance, **kwargs):
    time.sleep(2)
    logger.info("slow receiver done for %s", instance)

post_save.connect(slow, sender=Group)

def call(**kwargs):
    return "still answering"
"""


@pytest.mark.django_db(transaction=True)
def test_a_slow_receiver_delays_only_its_own_save(userscripts, settings):
    """The documented effect of a receiver that sleeps 2 s: that save takes 2 s longer, nothing else waits."""
    from django.contrib.auth.models import Group
    from django.test import Client

    settings.LOGIN_REQUIRED = False
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["slow"]
    userscripts.write("slow.py", SLOW)
    userscripts.load()
    finished = {}

    def save():
        from django.db import connection
        started = time.monotonic()
        Group.objects.create(name="slowpoke")
        finished["seconds"] = time.monotonic() - started
        connection.close()

    thread = threading.Thread(target=save)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    response = Client().get("/userscript/?script=slow")
    answered_in = time.monotonic() - started
    thread.join()
    assert response.content == b"still answering" and answered_in < 1.0  # not held up by the sleeping save
    assert finished["seconds"] >= 2.0
    assert Group.objects.filter(name="slowpoke").exists()
    assert "slow receiver done for slowpoke" in userscripts.log.read_text()
