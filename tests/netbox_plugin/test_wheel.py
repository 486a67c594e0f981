"""``make plugin-wheel``: only the ``netbox_userscripts`` package, its real dependencies, no pin on Django or DRF."""
import os
import re
import zipfile
from importlib.metadata import distribution


def wheel_names():
    with zipfile.ZipFile(os.environ["NBTEST_WHEEL"]) as wheel:
        return wheel.namelist()


def test_the_wheel_holds_only_the_engine_package():
    assert os.path.basename(os.environ["NBTEST_WHEEL"]) == "netbox_userscripts-0.1.0-py3-none-any.whl"
    top = {name.split("/")[0] for name in wheel_names()}
    assert top == {"netbox_userscripts", "netbox_userscripts-0.1.0.dist-info"}
    names = wheel_names()
    assert "netbox_userscripts/migrations/0001_initial.py" in names
    assert "netbox_userscripts/templates/netbox_userscripts/netbox/userscripts.html" in names
    assert "netbox_userscripts/netbox_plugin/__init__.py" in names


def test_the_wheel_declares_its_dependencies_without_pinning_the_host():
    requires = {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0].lower(): r
                for r in distribution("netbox-userscripts").requires}
    for name in ("watchdog", "concurrent-log-handler", "netaddr", "pyyaml", "markdown", "nh3"):
        assert name in requires, requires
    for host in ("django", "djangorestframework"):
        assert "<" not in requires.get(host, "") and "==" not in requires.get(host, "")
    assert "psycopg" not in requires  # NetBox brings its own driver


def test_the_installed_plugin_is_the_wheel_not_the_checkout():
    import netbox_userscripts

    assert "site-packages" in netbox_userscripts.__file__
