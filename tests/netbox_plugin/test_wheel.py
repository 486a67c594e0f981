"""``make plugin-wheel``: the root's build makes a wheel and an sdist of the ``netbox_userscripts`` package alone.

Its real dependencies, no pin on Django or DRF, the version written once (``netbox_userscripts/version.py``).
And the wheel installed as ``docs/netbox.md`` says, its "pip install netbox" tab tried as written
in an instance root fresh from ``netbox setup``, started by the units its steps adapt.
"""
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest
import requests
from conftest import TEMPLATE, _flush_redis, admin_sql, csrf, free_port, stop_rqworker, use_database, wait_for
from install_docs import SHELL_PRELUDE, as_tried, blocks, tab, unit

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


VENV_BIN = Path(sys.executable).parent
DOCS_DATABASE = "t_test_wheel_install_docs"
START_SECONDS = 180


class Installed:
    """An instance root made by ``netbox setup`` and the pip tab's steps run in it: the paths, the steps' output."""

    def __init__(self, root, environment, output):
        self.root, self.environment, self.output = root, environment, output
        self.log = root / "logs" / "userscripts.log"

    def start(self, unit_file, extra, log_name):
        """What ``unit_file`` starts, with its own Environment= only (NETBOX_ROOT is not inherited)."""
        started = unit(unit_file)
        environment = {**self.environment, **started.environment, **extra}
        output = open(self.root / log_name, "ab")
        return subprocess.Popen(started.command, cwd=started.directory, env=environment, stdout=output,
                                stderr=subprocess.STDOUT)

    def said(self, log_name):
        path = self.root / log_name
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The pip tab's ``sh`` blocks run in order (not the one installing into systemd), on a database of its own."""
    root = tmp_path_factory.mktemp("opt-netbox")
    wheel = os.environ["NBTEST_WHEEL"]
    assert f"/path/to/{Path(wheel).name}" in "\n".join(tab()), f"the pip tab should install {Path(wheel).name}"
    admin_sql(f"DROP DATABASE IF EXISTS {DOCS_DATABASE}")
    admin_sql(f"CREATE DATABASE {DOCS_DATABASE} TEMPLATE {TEMPLATE}")
    _flush_redis()
    # This suite's database, Redis and secrets; the plugin only as the page's block enables it.
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NETBOX_ROOT", "NETBOX_CONFIGURATION", "NBTEST_MANAGE")}
    environment.update(NBTEST_DB=DOCS_DATABASE, NBTEST_PLUGIN="0")
    subprocess.run([VENV_BIN / "netbox", "setup", "--target", str(root)], check=True, capture_output=True)
    for scaffolded in (root / "contrib").glob("*.service"):  # an admin's other root: the units' paths moved too
        scaffolded.write_text(as_tried(scaffolded.read_text(), root, VENV_BIN, wheel))
    steps = blocks(tab())
    configuration = root / "conf" / "configuration.py"
    with configuration.open("a") as conf:
        conf.write("\n" + (Path(__file__).parent / "configuration.py").read_text())
        for step in steps:
            if step.language == "python" and as_tried(step.title, root, VENV_BIN, wheel) == str(configuration):
                conf.write("\n" + as_tried(step.text, root, VENV_BIN, wheel))
    script = SHELL_PRELUDE + "".join(as_tried(step.text, root, VENV_BIN, wheel) for step in steps
                                     if step.language == "sh" and "systemctl" not in step.text)
    ran = subprocess.run(["bash", "-c", script], cwd=root, env={**environment, "NETBOX_ROOT": str(root)},
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, f"the pip tab's steps failed:\n{script}\n{ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
    use_database(DOCS_DATABASE)
    from users.models import User

    User.objects.create_superuser("installer", "installer@example.com", "installer-password")
    try:
        yield Installed(root, environment, ran.stdout + ran.stderr)
    finally:
        use_database(TEMPLATE)
        admin_sql(f"DROP DATABASE IF EXISTS {DOCS_DATABASE} WITH (FORCE)")


def test_the_pip_tab_records_the_wheel_and_shows_the_units_as_its_steps_leave_them(installed):
    assert Path(os.environ["NBTEST_WHEEL"]).name in (installed.root / "local_requirements.txt").read_text()
    shown = [step for step in blocks(tab()) if step.language == "ini"]
    assert len(shown) == 2
    for step in shown:
        path = Path(as_tried(step.title, installed.root, VENV_BIN, os.environ["NBTEST_WHEEL"]))
        lines = set(path.read_text().splitlines())
        expected = as_tried(step.text, installed.root, VENV_BIN, os.environ["NBTEST_WHEEL"]).splitlines()
        assert set(expected) <= lines, f"{path} should read {expected}:\n{path.read_text()}"
    assert (installed.root / "gunicorn.py").is_file() and (installed.root / "static").is_dir()  # collected
    assert all((installed.root / name).stat().st_uid == os.getuid() for name in ("userscripts", "logs"))


def test_the_units_start_gunicorn_and_rqworker_which_load_the_userscripts(installed):
    port = free_port()
    # gunicorn.py's bind and workers, as an admin sets them (gunicorn: the environment overrides the file)
    web = installed.start(installed.root / "contrib" / "netbox.service",
                          {"GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port} --workers 1"}, "gunicorn.log")
    worker = installed.start(installed.root / "contrib" / "netbox-rq.service", {}, "rqworker.log")
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: web.poll() is None and answers(f"{url}/login/"), timeout=START_SECONDS), (
            installed.said("gunicorn.log")[-3000:])
        assert wait_for(lambda: "Listening on" in installed.said("rqworker.log"), timeout=START_SECONDS), (
            installed.said("rqworker.log")[-3000:])
        (installed.root / "userscripts" / "hello.py").write_text("def call(**kwargs):\n    return 'hello'\n")
        pattern = r"INFO hello\.py: hello\.py loaded: call\(\) \((web|rqworker), pid (\d+)\)"
        loaded = wait_for(lambda: len(found := dict(re.findall(pattern, log_of(installed)))) == 2 and found,
                          timeout=60)
        assert loaded, log_of(installed)[-3000:]
        assert int(loaded["rqworker"]) == worker.pid and int(loaded["web"]) != web.pid  # web: gunicorn's worker
        session = requests.Session()
        login = session.get(f"{url}/login/", timeout=30)
        session.post(f"{url}/login/", data={"username": "installer", "password": "installer-password",
                                             "csrfmiddlewaretoken": csrf(login.text)},
                     headers={"Referer": f"{url}/login/"}, timeout=30, allow_redirects=False)
        page = session.get(f"{url}/plugins/userscripts/", timeout=30)
        assert page.status_code == 200 and "hello" in page.text, page.text[:2000]
        assert "Traceback" not in log_of(installed) and "ERROR" not in log_of(installed)
    finally:
        web.terminate()
        web.wait(timeout=30)
        stop_rqworker(worker)


def answers(url):
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def log_of(installed):
    return installed.log.read_text() if installed.log.exists() else ""
