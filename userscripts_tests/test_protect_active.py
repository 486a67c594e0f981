"""A veto: protect_active.py refuses to delete an active device, and lets an offline one go."""
from pathlib import Path

import pytest
from django.db import transaction

from dcim.models import Device
from netbox_userscripts import AbortEvent

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


def test_an_active_device_is_not_deleted(userscripts, userscript_log, switch):
    userscripts.load(USERSCRIPTS / "protect_active.py")

    with pytest.raises(AbortEvent, match="is active; set its status to offline"):
        with transaction.atomic():  # as a request's transaction: the vetoed delete is rolled back, the test goes on
            switch.delete()

    assert Device.objects.filter(name="ams1-sw-01").exists()
    assert userscript_log("protect_active").warnings == ["refused to delete active device ams1-sw-01"]


def test_an_offline_device_is_deleted(userscripts, switch):
    userscripts.load(USERSCRIPTS / "protect_active.py")
    switch.status = "offline"
    switch.save()

    switch.delete()

    assert not Device.objects.filter(name="ams1-sw-01").exists()
