"""``make plugin-wheel``: the root's build makes a wheel and an sdist of the ``netbox_userscripts`` package alone.

Its real dependencies, no pin on Django or DRF, the version written once (``netbox_userscripts/version.py``).
And the wheel installed as ``docs/netbox.md`` says, each tab tried as written: "pip install netbox"
in an instance root fresh from ``netbox setup``, "Source install" in a source layout of the same
release (``source_layout.py``), each started by NetBox's systemd units as its steps leave them.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest
import requests
import source_layout
from conftest import TEMPLATE, _flush_redis, admin_sql, csrf, free_port, stop_rqworker, use_database, wait_for
from install_docs import PIP_TAB, SHELL_PRELUDE, SOURCE_TAB, as_tried, blocks, tab, unit

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
                for r in distribution("netbox-userscripts").requires if "extra ==" not in r}  # NetBox installs these
    for name in ("watchdog", "concurrent-log-handler", "netaddr", "pyyaml", "markdown", "nh3"):
        assert name in requires, requires
    for host in ("django", "djangorestframework"):
        assert "<" not in requires.get(host, "") and "==" not in requires.get(host, "")
    for sandbox in ("psycopg", "django-filter", "django-taggit", "drf-spectacular", "gunicorn", "pytest"):
        assert sandbox not in requires, requires  # the sandbox project's and the tests' own, never the plugin's
    # The extras: tasks on RQ outside NetBox; the test kit for userscript authors (pytest, pytest-django).
    assert metadata.get_all("Provides-Extra") == ["rq", "testing"]
    assert "Framework :: Django" in metadata.get_all("Classifier")
    assert metadata["Requires-Python"] == ">=3.11" and "netbox-plugin" in metadata["Keywords"]
    assert metadata["Description-Content-Type"] == "text/markdown" and "make plugin-wheel" in metadata.get_payload()


def test_the_installed_plugin_is_the_wheel_not_the_checkout():
    assert "site-packages" in netbox_userscripts.__file__


VENV_BIN = Path(sys.executable).parent
START_SECONDS = 180
# Only on the pip-installed NetBox the harness makes: a source tree of the user's own (NETBOX_SOURCE) and the
# source-style pass (both set NBTEST_MANAGE) have no `netbox` command, and their trees are not ours to write to.
on_the_harness_wheel = pytest.mark.skipif(bool(os.environ.get("NBTEST_MANAGE")),
                                          reason="tries the docs on the harness's pip-installed NetBox")


class Deployment:
    """A tab of the page and the NetBox it starts from: where ``prepare`` puts it, where its configuration is."""

    def __init__(self, label, database, configuration):
        self.label, self.database, self.configuration = label, database, configuration

    def prepare(self, root):
        """NetBox as the tab finds it, under ``root``, its units still in ``contrib/`` (NetBox's own steps)."""
        if self.label == PIP_TAB:
            subprocess.run([VENV_BIN / "netbox", "setup", "--target", str(root)], check=True, capture_output=True)
            return
        site_packages, = VENV_BIN.parent.glob("lib/python3*/site-packages")
        source_layout.build(site_packages, root)
        contrib = (root / "contrib").resolve()  # the tarball's own files, not links into the virtualenv
        (root / "contrib").unlink()
        shutil.copytree(contrib, root / "contrib", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(root / "contrib" / "gunicorn.py", root / "gunicorn.py")  # NetBox's guide: its gunicorn page
        shutil.copy(root / "netbox" / "netbox" / "configuration_example.py", root / self.configuration)


DEPLOYMENTS = {PIP_TAB: Deployment(PIP_TAB, "t_test_wheel_pip_tab", "conf/configuration.py"),
               SOURCE_TAB: Deployment(SOURCE_TAB, "t_test_wheel_source_tab", "netbox/netbox/configuration.py")}


class Installed:
    """A NetBox installed by a tab's steps: its root, the tab, the environment its processes start from."""

    def __init__(self, root, deployment, environment):
        self.root, self.deployment, self.environment = root, deployment, environment
        self.log = root / "logs" / "userscripts.log"

    def tried(self, text):
        return as_tried(text, self.root, VENV_BIN, os.environ["NBTEST_WHEEL"])

    def steps(self):
        return blocks(tab(self.deployment.label))

    def start(self, unit_file, extra, log_name):
        """What ``unit_file`` starts, with its own Environment= only (NETBOX_ROOT is not inherited)."""
        started = unit(unit_file)
        output = open(self.root / log_name, "ab")
        return subprocess.Popen(started.command, cwd=started.directory, stdout=output, stderr=subprocess.STDOUT,
                                env={**self.environment, **started.environment, **extra})

    def said(self, name):
        path = self.root / name
        return path.read_text(errors="replace") if path.exists() else ""


@pytest.fixture(scope="module", params=[PIP_TAB, SOURCE_TAB])
def installed(request, tmp_path_factory):
    """The tab's ``sh`` blocks run in order (not the one calling systemctl), on a database of its own."""
    deployment = DEPLOYMENTS[request.param]
    root = tmp_path_factory.mktemp("opt-netbox")
    wheel = Path(os.environ["NBTEST_WHEEL"])
    assert f"/path/to/{wheel.name}" in "\n".join(tab(deployment.label)), f"the tab should install {wheel.name}"
    admin_sql(f"DROP DATABASE IF EXISTS {deployment.database}")
    admin_sql(f"CREATE DATABASE {deployment.database} TEMPLATE {TEMPLATE}")
    _flush_redis()
    # This suite's database, Redis and secrets; the plugin only as the tab's block enables it.
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("NETBOX_ROOT", "NETBOX_CONFIGURATION", "NBTEST_MANAGE", "PYTHONPATH")}
    environment.update(NBTEST_DB=deployment.database, NBTEST_PLUGIN="0")
    installed = Installed(root, deployment, environment)
    deployment.prepare(root)
    for scaffolded in (root / "contrib").glob("*.service"):  # an admin's other root: the units' paths moved too
        scaffolded.write_text(installed.tried(scaffolded.read_text()))
    configuration = root / deployment.configuration
    with configuration.open("a") as conf:
        conf.write("\n" + (Path(__file__).parent / "configuration.py").read_text())
        for step in installed.steps():
            if step.language == "python" and installed.tried(step.title) == str(configuration):
                conf.write("\n" + installed.tried(step.text))
    script = SHELL_PRELUDE + "".join(installed.tried(step.text) for step in installed.steps()
                                     if step.language == "sh" and "systemctl" not in step.text)
    ran = subprocess.run(["bash", "-c", script], cwd=root, env={**environment, "NETBOX_ROOT": str(root)},
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, f"the tab's steps failed:\n{script}\n{ran.stdout[-3000:]}\n{ran.stderr[-3000:]}"
    use_database(deployment.database)
    from users.models import User

    User.objects.create_superuser("installer", "installer@example.com", "installer-password")
    try:
        yield installed
    finally:
        use_database(TEMPLATE)
        admin_sql(f"DROP DATABASE IF EXISTS {deployment.database} WITH (FORCE)")


@on_the_harness_wheel
def test_the_tab_records_the_wheel_and_shows_the_units_as_its_steps_leave_them(installed):
    assert Path(os.environ["NBTEST_WHEEL"]).name in (installed.root / "local_requirements.txt").read_text()
    for step in (step for step in installed.steps() if step.language == "ini"):
        path = Path(installed.tried(step.title))
        expected = installed.tried(step.text).splitlines()
        assert set(expected) <= set(path.read_text().splitlines()), f"{path} should read {expected}"
    static = installed.root / ("static" if installed.deployment.label == PIP_TAB else "netbox/static")
    assert (static / "netbox_userscripts" / "pages.css").is_file()  # collected
    assert all((installed.root / name).stat().st_uid == os.getuid() for name in ("userscripts", "logs"))


@on_the_harness_wheel
def test_the_units_start_gunicorn_and_rqworker_which_load_the_userscripts(installed):
    port = free_port()
    # gunicorn.py's bind and workers, as an admin sets them (gunicorn: the environment overrides the file)
    web = installed.start(installed.root / "contrib" / "netbox.service",
                          {"GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{port} --workers 1"}, "gunicorn.log")
    try:
        worker = installed.start(installed.root / "contrib" / "netbox-rq.service", {}, "rqworker.log")
    except BaseException:
        stop_gunicorn(web)
        raise
    try:
        url = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: web.poll() is None and answers(f"{url}/login/"), timeout=START_SECONDS), (
            installed.said("gunicorn.log")[-3000:])
        assert wait_for(lambda: "Listening on" in installed.said("rqworker.log"), timeout=START_SECONDS), (
            installed.said("rqworker.log")[-3000:])
        (installed.root / "userscripts" / "hello.py").write_text("def call(**kwargs):\n    return 'hello'\n")
        pattern = r"INFO hello\.py: hello\.py loaded: call\(\) \((web|rqworker), pid (\d+)\)"
        loaded = wait_for(lambda: len(found := dict(re.findall(pattern, installed.said("logs/userscripts.log")))) == 2
                          and found, timeout=60)
        assert loaded, installed.said("logs/userscripts.log")[-3000:]
        assert int(loaded["rqworker"]) == worker.pid and int(loaded["web"]) != web.pid  # web: gunicorn's worker
        with logged_in(url) as session:
            page = session.get(f"{url}/plugins/userscripts/", timeout=30)
        assert page.status_code == 200 and "hello" in page.text, page.text[:2000]
        assert "Traceback" not in installed.said("logs/userscripts.log")
    finally:
        try:
            stop_gunicorn(web)
        finally:
            stop_rqworker(worker)  # never left behind: it would take the next run's jobs from the shared Redis


def stop_gunicorn(process):
    """SIGQUIT, gunicorn's quick stop, then SIGKILL if that hangs. Its graceful stop (SIGTERM) waits, up to its
    graceful_timeout of 30 s, for a keep-alive connection that this test process still holds open: 30 s per
    deployment of cleanup, with nothing to prove."""
    process.send_signal(signal.SIGQUIT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answers(url):
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def logged_in(url):
    session = requests.Session()
    login = session.get(f"{url}/login/", timeout=30)
    session.post(f"{url}/login/", data={"username": "installer", "password": "installer-password",
                                         "csrfmiddlewaretoken": csrf(login.text)},
                 headers={"Referer": f"{url}/login/"}, timeout=30, allow_redirects=False)
    return session
