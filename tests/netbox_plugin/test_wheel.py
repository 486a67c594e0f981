"""``make plugin-wheel``: the root's build makes a wheel and an sdist of the ``netbox_userscripts`` package alone.

Its real dependencies, no pin on Django or DRF, the version written once (``netbox_userscripts/version.py``).
"""
import os
import re
import tarfile
import zipfile
from importlib.metadata import distribution

import netbox_userscripts

VERSION = netbox_userscripts.__version__


def wheel_names():
    with zipfile.ZipFile(os.environ["NBTEST_WHEEL"]) as wheel:
        return wheel.namelist()


def sdist_names():
    with tarfile.open(os.environ["NBTEST_SDIST"]) as sdist:
        return [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]


def test_the_wheel_holds_only_the_engine_package():
    assert os.path.basename(os.environ["NBTEST_WHEEL"]) == f"netbox_userscripts-{VERSION}-py3-none-any.whl"
    top = {name.split("/")[0] for name in wheel_names()}
    assert top == {"netbox_userscripts", f"netbox_userscripts-{VERSION}.dist-info"}
    names = wheel_names()
    assert "netbox_userscripts/migrations/0001_initial.py" in names
    assert "netbox_userscripts/templates/netbox_userscripts/netbox/userscripts.html" in names
    assert "netbox_userscripts/static/netbox_userscripts/pages.css" in names
    assert "netbox_userscripts/netbox_plugin/__init__.py" in names


def test_the_sdist_holds_the_engine_and_what_builds_it():
    assert os.path.basename(os.environ["NBTEST_SDIST"]) == f"netbox_userscripts-{VERSION}.tar.gz"
    top = {name.split("/")[0] for name in sdist_names()}
    assert top == {"netbox_userscripts", "netbox_userscripts.egg-info", "pyproject.toml", "README.md", "MANIFEST.in",
                   "PKG-INFO", "setup.cfg"}, top  # setup.cfg: setuptools writes its egg_info tags there
    engine = {name for name in sdist_names() if name.startswith("netbox_userscripts/") and name.endswith(".py")}
    shown = ("loading/loader.py", "signals.py", "netbox_plugin/startup.py")
    assert {f"netbox_userscripts/{n}" for n in shown} <= engine


def test_the_wheel_declares_its_dependencies_without_pinning_the_host():
    metadata = distribution("netbox-userscripts").metadata
    requires = {re.split(r"[<>=!~ ;\[]", r, maxsplit=1)[0].lower(): r
                for r in distribution("netbox-userscripts").requires}
    for name in ("watchdog", "concurrent-log-handler", "netaddr", "pyyaml", "markdown", "nh3"):
        assert name in requires, requires
    for host in ("django", "djangorestframework"):
        assert "<" not in requires.get(host, "") and "==" not in requires.get(host, "")
    for sandbox in ("psycopg", "django-filter", "django-taggit", "drf-spectacular", "gunicorn", "pytest"):
        assert sandbox not in requires, requires  # the sandbox project's and the tests' own, never the plugin's
    assert metadata.get_all("Provides-Extra") == ["rq"]  # the one extra: tasks on RQ outside NetBox
    assert "Framework :: Django" in metadata.get_all("Classifier")
    assert metadata["Requires-Python"] == ">=3.11" and "netbox-plugin" in metadata["Keywords"]
    assert metadata["Description-Content-Type"] == "text/markdown" and "make plugin-wheel" in metadata.get_payload()


def test_the_installed_plugin_is_the_wheel_not_the_checkout():
    assert "site-packages" in netbox_userscripts.__file__
