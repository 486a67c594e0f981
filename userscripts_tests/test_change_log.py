"""A hook: change_log.py logs every device change to the central log."""
from pathlib import Path

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


def test_a_device_edit_is_logged(userscripts, userscript_log, switch):
    userscripts.load(USERSCRIPTS / "change_log.py")

    switch.status = "offline"
    switch.save()

    assert userscript_log("change_log").infos == ["device ams1-sw-01 (site ams1) edited: status=offline"]
