"""Run the plugin's tests inside a real NetBox: ``make test-netbox`` (part of ``make test``).

    python tests/netbox_plugin/harness.py run [-- COMMAND...]

With a COMMAND (``make test`` gives the project's own suite), NetBox is prepared while it
runs; the plugin's tests start as soon as NetBox is ready, beside the rest of it (their output
is shown once both ended), and the exit code is non-zero if either failed.

1. Finds Python 3.12+ (``NETBOX_PYTHON``, ``python3.12``/``python3.13`` on PATH, or pyenv's):
   NetBox 4.7 needs it. Without it the run says so plainly at the end (and fails under CI).
2. Makes ``.netbox-venv`` with ``netbox==4.7.3`` (``DEFAULT_NETBOX``) from PyPI (once), with the tests'
   requirements (``TEST_REQUIREMENTS``, NetBox Labs' branching plugin among them: ``test_branching.py``
   turns it on for its own NetBox). The plugin's wheel (``make plugin-wheel``) is built meanwhile and
   installed into it, fresh every run, once NetBox's own migrations (4) are done.
3. Starts a throw-away PostgreSQL (``tests/pgserver.py``) and Redis (Debian's
   ``redis-server``), writes NetBox's ``configuration.py`` into a temporary ``NETBOX_ROOT``.
4. Migrates NetBox once into the template database ``nb_base`` (~9 minutes on 2 cores),
   then clones it to ``nb_plugin`` and runs ``netbox migrate`` there with the plugin
   installed. Each test module clones ``nb_plugin`` (``CREATE DATABASE ... TEMPLATE``).
5. Runs pytest on ``tests/netbox_plugin`` with the NetBox virtualenv's Python
   (``NETBOX_PYTEST_ARGS``, default ``-q``).

With a COMMAND, a second, shorter pass runs beside the first: a few tests (``SOURCE_PASS_TESTS``)
on a source-style tree made from the same release (``source_layout.py``), started with its
``manage.py`` and ``NETBOX_CONFIGURATION``, as a source install runs; on a template database
and a Redis of its own.

``NETBOX_SOURCE=/opt/netbox`` runs the whole suite against an existing source install
instead: its ``netbox/manage.py``, its Python (``NETBOX_PYTHON``, default
``/opt/netbox/venv/bin/python``; the plugin's wheel and the test requirements are installed
into it, as a plugin is), this suite's configuration given as ``NETBOX_CONFIGURATION``.
``NETBOX=4.7.0`` installs that NetBox release from PyPI instead of the default (its own
virtualenv, ``.netbox-venv-4.7.0``, and template database).

Without Python 3.12 the project's suite still decides the exit code and the run says plainly
that the NetBox suite did not run; under CI (``CI=true``) that fails the run.

``harness.py bench`` (``make bench-netbox``) prepares the same NetBox and runs
``benchmarks/netbox_overhead.py`` in it.

``NBTEST_REUSE_PG=HOST:PORT`` and ``NBTEST_REUSE_REDIS=PORT`` use running servers instead
(a database ``nb_base`` already there is not migrated again): for development.
"""
import glob
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
import pgserver  # noqa: E402
import source_layout  # noqa: E402

DEFAULT_NETBOX = "4.7.3"  # the newest 4.7 patch on PyPI that this suite knows
TEST_REQUIREMENTS = ["pytest>=8.0", "requests>=2.31", "pynetbox==7.9.0", "playwright>=1.45",  # test_browser.py
                     "pytest-django>=4.8",  # test_jobs.py: an author's tests run with the testing kit
                     "netboxlabs-netbox-branching>=1.2,<1.3"]  # test_branching.py: NetBox with branching
# The source-style pass: NetBox started its own way (manage.py, NETBOX_CONFIGURATION) for its server, its commands
# and rqworker: the calls and event rules, and of the jobs those listing scripts, running one from the page and
# from runjob (the rest is the same code on either layout: it runs once, in the first pass)
SOURCE_PASS_TESTS = "test_calls or test_event_rules or (test_jobs and (scripts_are_listed or page_runs or runjob))"
CONFIGURATION_MODULE = "userscripts_nbtest_configuration"
# The preparation runs beside the project's suite, whose timing tests must not starve: the migrations' Python
# and the PostgreSQL server run at a lower priority, the PostgreSQL pass's (tests/passes.py), not below it: the
# NetBox suite is the longest chain of the run.
NICE = ["nice", "-n", "5"] if shutil.which("nice") else []


class NotRun(Exception):
    """The plugin's tests cannot run here; the run fails with this message (said again at the end).

    ``optional``: only this machine lacks something (Python 3.12); outside CI the run passes, saying so.
    """

    def __init__(self, message, optional=False):
        super().__init__(message)
        self.optional = optional


def fail(message, optional=False):
    print(f"\n*** NetBox plugin tests NOT RUN: {message}\n", file=sys.stderr, flush=True)
    raise NotRun(message, optional)


def netbox_version():
    """``NETBOX`` (default ``DEFAULT_NETBOX``), checked: a release number such as 4.7.0."""
    version = os.environ.get("NETBOX", DEFAULT_NETBOX)
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        fail(f"NETBOX={version!r} is not a NetBox release number (e.g. NETBOX=4.7.0).")
    return version


def venv_folder(version):
    return ROOT / (".netbox-venv" if version == DEFAULT_NETBOX else f".netbox-venv-{version}")


def source_tree(path):
    """The ``manage.py`` of the NetBox source tree at ``path`` (NETBOX_SOURCE), or a clear NotRun."""
    manage = Path(path) / "netbox" / "manage.py"
    if not (manage.is_file() and (manage.parent / "netbox" / "settings.py").is_file()):
        fail(f"NETBOX_SOURCE={path} is not a NetBox source tree: it has no netbox/manage.py beside "
             "netbox/netbox/settings.py (give the folder of the release tarball, e.g. /opt/netbox).")
    return manage


def source_version(manage):
    """The NetBox release of a source tree, from its ``release.yaml``."""
    found = re.search(r'^version:\s*"?([0-9.]+)', (manage.parent / "release.yaml").read_text(), re.MULTILINE)
    if not found:
        fail(f"{manage.parent / 'release.yaml'} names no version.")
    return found.group(1)


def find_python():
    candidates = [os.environ.get("NETBOX_PYTHON"), shutil.which("python3.12"), shutil.which("python3.13"),
                  shutil.which("python3.14")]
    try:
        pyenv_root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pyenv_root = os.path.expanduser("~/.pyenv")
    candidates += sorted(glob.glob(f"{pyenv_root or os.path.expanduser('~/.pyenv')}/versions/3.1[234]*/bin/python3"))
    for candidate in candidates:
        if not candidate:
            continue
        probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                               capture_output=True, text=True)
        if probe.stdout.strip() == "True":
            return candidate
    fail("no Python 3.12 or newer found (NetBox 4.7 needs it). Install it (pyenv install 3.12) "
         "or set NETBOX_PYTHON=/path/to/python3.12.", optional=True)


def build_wheel():
    """``make plugin-wheel``: the root's own build (``python -m build``); returns the wheel and the sdist."""
    subprocess.run(["make", "-s", "-C", str(ROOT), "plugin-wheel"], check=True, stdout=subprocess.DEVNULL)
    wheel, = (ROOT / "dist").glob("netbox_userscripts-*-py3-none-any.whl")
    sdist, = (ROOT / "dist").glob("netbox_userscripts-*.tar.gz")
    return wheel, sdist


def prepare_venv(python, version):
    """NetBox ``version`` and the suite's requirements in a virtualenv of their own (once); its Python."""
    venv, requirement = venv_folder(version), f"netbox=={version}"
    stamp = venv / ".netbox-installed"
    wanted = hashlib.sha256(" ".join([requirement, *TEST_REQUIREMENTS]).encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"Installing {requirement} into {venv} (once) ...", flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        installed = subprocess.run([*NICE, venv / "bin/python", "-m", "pip", "install", "-qq", requirement,
                                    *TEST_REQUIREMENTS])
        if installed.returncode:
            fail(f"pip could not install {requirement} (is NETBOX={version} a release on PyPI?).")
        stamp.write_text(wanted)
    return venv / "bin/python"


def install_plugin(python, wheel, *extra):
    """The plugin as a user installs it: its wheel, its dependencies, nothing from this checkout."""
    subprocess.run([python, "-m", "pip", "install", "-qq", str(wheel), *extra], check=True)
    subprocess.run([python, "-m", "pip", "install", "-qq", "--force-reinstall", "--no-deps", str(wheel)], check=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder):
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(redis):
        fail("redis-server is not installed (Debian package redis-server; .ci/run installs it).")
    port = free_port()
    process = subprocess.Popen([redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    fail("redis-server did not start.")


class Postgres:
    """A throw-away cluster (``tests/pgserver.py``'s way), or a running one with NBTEST_REUSE_PG."""

    def __init__(self):
        self.reused = os.environ.get("NBTEST_REUSE_PG")
        self.folder = None

    def start(self):
        if self.reused:
            self.host, self.port = self.reused.split(":")
            return self
        initdb, pg_ctl = pgserver.find_bin("initdb"), pgserver.find_bin("pg_ctl")
        if not initdb or not pg_ctl:
            fail("PostgreSQL is not installed (Debian package postgresql; .ci/run installs it).")
        self.folder = tempfile.mkdtemp(prefix="userscripts-nbpg-")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self.data, self.host, self.port = os.path.join(self.folder, "data"), "127.0.0.1", str(free_port())
        self.pg_ctl = pg_ctl
        subprocess.run(pgserver.as_owner([initdb, "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
                       check=True, stdout=subprocess.DEVNULL)
        options = (f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        subprocess.run([*NICE, *pgserver.as_owner([pg_ctl, "-D", self.data, "-l", os.path.join(self.folder,
                       "server.log"), "-o", options, "-w", "start"])], check=True, stdout=subprocess.DEVNULL)
        return self

    def stop(self):
        if self.folder:
            subprocess.run(pgserver.as_owner([self.pg_ctl, "-D", self.data, "-m", "immediate", "stop"]),
                           stdout=subprocess.DEVNULL)
            shutil.rmtree(self.folder, ignore_errors=True)

    def psql(self, sql, database="postgres"):
        psql = pgserver.find_bin("psql") or "psql"
        return subprocess.run([psql, "-h", self.host, "-p", self.port, "-U", "postgres", "-d", database, "-tAc", sql],
                              check=True, capture_output=True, text=True).stdout.strip()

    def exists(self, database):
        return self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"


def netbox_command(python, env):
    """How NetBox's management commands start: a source tree's ``manage.py``, or the wheel's ``netbox``."""
    if env.get("NBTEST_MANAGE"):
        return [str(python), env["NBTEST_MANAGE"]]
    return [str(Path(python).parent / "netbox")]


def netbox(python, env, *args):
    started = time.monotonic()
    subprocess.run([*NICE, *netbox_command(python, env), *args], env=env, check=True)
    return time.monotonic() - started


def source_env(env, work, manage):
    """``env`` for NetBox as a source install: its ``manage.py``, this suite's configuration as a module."""
    conf = work / "source-conf"
    conf.mkdir(exist_ok=True)
    shutil.copy(HERE / "configuration.py", conf / f"{CONFIGURATION_MODULE}.py")
    path = os.pathsep.join([str(manage.parent), str(conf)])
    return {**env, "NBTEST_MANAGE": str(manage), "NETBOX_CONFIGURATION": CONFIGURATION_MODULE, "PYTHONPATH": path}


class Preparation:
    """The slow part, in a thread: the virtualenv, the servers, NetBox's migrations."""

    def __init__(self):
        self.error = None
        self.started = time.monotonic()
        self.work = Path(tempfile.mkdtemp(prefix="userscripts-netbox-"))
        self.postgres = Postgres()
        self.redis = self.source_redis = None
        self.ended = self.work / "prepared"

    def __call__(self):
        try:
            self.prepare()
        except BaseException as exc:  # reported by the main thread once the project's command is done
            self.error = exc
        finally:
            self.ended.touch()  # NBTEST_PREPARED for the project's command: NetBox ready, or never to be

    def prepare(self):
        source = os.environ.get("NETBOX_SOURCE")
        manage = source_tree(source) if source else None
        version = source_version(manage) if manage else netbox_version()
        if manage:
            python = os.environ.get("NETBOX_PYTHON") or str(Path(source) / "venv" / "bin" / "python")
            if not os.path.exists(python):
                fail(f"no Python for the source tree {source}: {python} does not exist (set NETBOX_PYTHON).")
        else:
            python = find_python()
        print(f"NetBox plugin tests: preparing NetBox {version} with {python} (in the background)", flush=True)
        # The plugin's wheel is built while NetBox installs and migrates: NetBox's own migrations need no plugin.
        with ThreadPoolExecutor(1) as builder:
            wheel = builder.submit(build_wheel)
            if manage:
                self.wheel, self.sdist = wheel.result()
                install_plugin(python, self.wheel, *TEST_REQUIREMENTS)
                self.python = Path(python)
            else:
                self.python = prepare_venv(python, version)
            self.prepare_netbox(manage, version)
            if not manage:
                self.wheel, self.sdist = wheel.result()
                install_plugin(self.python, self.wheel)
        self.env.update(NBTEST_WHEEL=str(self.wheel), NBTEST_SDIST=str(self.sdist))
        self.postgres.psql("DROP DATABASE IF EXISTS nb_plugin")
        self.postgres.psql(f"CREATE DATABASE nb_plugin TEMPLATE {self.base}")
        seconds = netbox(self.python, {**self.env, "NBTEST_DB": "nb_plugin"}, "migrate", "--no-input",
                         "--verbosity", "0")
        how = "manage.py migrate" if manage else "netbox migrate"
        print(f"NetBox plugin tests: the plugin's migrations applied by `{how}` in {seconds:.0f} s; NetBox ready "
              f"{time.monotonic() - self.started:.0f} s after the start", flush=True)

    def prepare_netbox(self, manage, version):
        """The servers, and NetBox's migrations into the template database ``self.base`` (once)."""
        (self.work / "conf").mkdir()
        shutil.copy(HERE / "configuration.py", self.work / "conf" / "configuration.py")
        (self.work / "userscripts").mkdir()
        self.postgres.start()
        if os.environ.get("NBTEST_REUSE_REDIS"):
            redis_port = os.environ["NBTEST_REUSE_REDIS"]
        else:
            self.redis, redis_port = start_redis(self.work)
        self.env = {**os.environ, "NETBOX_ROOT": str(self.work), "NBTEST_PG_HOST": self.postgres.host,
                    "NBTEST_PG_PORT": str(self.postgres.port), "NBTEST_REDIS_PORT": str(redis_port),
                    "NBTEST_USERSCRIPTS_ROOT": str(self.work / "userscripts"),
                    "NBTEST_USERSCRIPTS_LOG": str(self.work / "logs" / "userscripts.log")}
        if manage:
            self.env = source_env(self.env, self.work, manage)
        self.base = base = "nb_base" if version == DEFAULT_NETBOX else f"nb_base_{version.replace('.', '_')}"
        if not self.postgres.exists(base):
            print(f"NetBox plugin tests: migrating NetBox {version} into the template database {base} "
                  "(~9 minutes on 2 cores)", flush=True)
            self.postgres.psql(f"CREATE DATABASE {base}")
            seconds = netbox(self.python, {**self.env, "NBTEST_DB": base, "NBTEST_PLUGIN": "0"},
                             "migrate", "--no-input", "--verbosity", "0")
            print(f"NetBox plugin tests: NetBox migrated in {seconds:.0f} s", flush=True)

    def source_pass_env(self):
        """The environment of the source-style pass: the same NetBox laid out as a source tree (``source_layout``).

        It runs beside the first pass, so nothing of theirs is shared: its template database (a clone of
        ``nb_plugin``: a pass connects to its template between modules, which would refuse the other's clones),
        its modules' databases (``s_`` before their names) and a Redis of its own (each module flushes its Redis).
        """
        site_packages, = Path(self.python).parent.parent.glob("lib/python3*/site-packages")
        tree = source_layout.build(site_packages, self.work / "opt-netbox")
        self.postgres.psql("DROP DATABASE IF EXISTS nb_source")
        self.postgres.psql("CREATE DATABASE nb_source TEMPLATE nb_plugin")
        self.source_redis, redis_port = start_redis(self.work)
        env = source_env({**self.env, "NBTEST_DB": "nb_source", "NBTEST_DB_PREFIX": "s_",
                          "NBTEST_REDIS_PORT": str(redis_port)}, self.work, tree / "netbox" / "manage.py")
        netbox(self.python, env, "migrate", "--no-input", "--verbosity", "0")  # the tree's manage.py works
        return env

    def cleanup(self):
        for redis in (self.redis, self.source_redis):
            if redis is not None:
                redis.terminate()
                redis.wait()
        self.postgres.stop()
        shutil.rmtree(self.work, ignore_errors=True)


def bench():
    """``make bench-netbox``: ``benchmarks/netbox_overhead.py`` in the prepared NetBox, on a database of its own."""
    preparation = Preparation()
    try:
        preparation.prepare()
        preparation.postgres.psql("DROP DATABASE IF EXISTS nb_bench")
        preparation.postgres.psql("CREATE DATABASE nb_bench TEMPLATE nb_plugin")
        try:
            script, env = ROOT / "benchmarks" / "netbox_overhead.py", {**preparation.env, "NBTEST_DB": "nb_bench"}
            return subprocess.run([str(preparation.python), str(script)], env=env, cwd=str(preparation.work)).returncode
        finally:
            preparation.postgres.psql("DROP DATABASE IF EXISTS nb_bench WITH (FORCE)")
    except NotRun:
        return 1
    finally:
        preparation.cleanup()


def main(argv):
    if argv == ["bench"]:
        return bench()
    if not argv or argv[0] != "run" or (len(argv) > 1 and argv[1] != "--"):
        sys.exit("usage: harness.py run [-- COMMAND...] | bench   (NETBOX_PYTEST_ARGS go to the plugin tests' pytest)")
    command = argv[2:]
    preparation = Preparation()
    thread = threading.Thread(target=preparation, daemon=True)
    thread.start()
    # The project's suite runs beside the preparation, and the plugin's tests start as soon as NetBox is
    # ready, beside what is left of that suite (tests/passes.py: its SQLite pass, and its PostgreSQL pass, which
    # waits for NBTEST_PREPARED so as not to slow the preparation, the run's longest chain): on 2 cores, all
    # mostly wait on servers.
    ready = {"NBTEST_PREPARED": str(preparation.ended)}
    suite = subprocess.Popen(command, env={**os.environ, **ready}) if command else None
    try:
        thread.join()
        if isinstance(preparation.error, NotRun):
            return not_run(preparation.error, suite.wait() if suite else 0)
        if preparation.error is not None:
            raise preparation.error
        pytest_args = os.environ.get("NETBOX_PYTEST_ARGS", "-q").split()
        output = preparation.work / "netbox-tests.log"  # shown after the suite, not interleaved with its own
        source_output = preparation.work / "netbox-source-tests.log"
        with open(output, "w") as log, open(source_output, "w") as source_log:
            source = tests = None
            try:
                if command and not os.environ.get("NETBOX_SOURCE"):  # beside the first pass, on servers of its own
                    print("NetBox plugin tests: again on a source-style tree (manage.py, NETBOX_CONFIGURATION), "
                          f"beside the first pass: {SOURCE_PASS_TESTS}", file=source_log, flush=True)
                    source = start_pytest(preparation, preparation.source_pass_env(),
                                          ["-q", "-k", SOURCE_PASS_TESTS], source_log)
                tests = start_pytest(preparation, {**preparation.env, "NBTEST_DB": "nb_plugin"}, pytest_args, log)
                returncode = tests.wait()
                returncode = (source.wait() if source else 0) or returncode
            finally:
                for process in (source, tests):
                    if process is not None and process.poll() is None:  # an error or Ctrl-C above
                        process.terminate()
                        process.wait()
        suite_returncode = suite.wait() if suite else 0
        print(f"NetBox plugin tests (run beside the project's suite):\n{output.read_text()}{source_output.read_text()}",
              flush=True)
        return suite_returncode or returncode
    finally:
        if suite is not None and suite.poll() is None:  # an error or Ctrl-C above: the suite does not outlive us
            suite.terminate()
            suite.wait()
        preparation.cleanup()


SCREENSHOTS = ROOT / "build" / "netbox-screenshots"  # test_browser.py's pages, kept after the run as CI's artefacts


def start_pytest(preparation, env, args, output=None):
    """The plugin's tests with ``args`` in NetBox's Python, started; their output to ``output`` (else ours)."""
    env = {"NBTEST_SCREENSHOTS": str(SCREENSHOTS), **env}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([str(preparation.python), "-m", "pytest", "-c", str(HERE / "pytest.ini"), "--rootdir",
                             str(HERE), "--confcutdir", str(HERE), str(HERE), *args], env=env,
                            cwd=str(preparation.work), stdout=output, stderr=subprocess.STDOUT if output else None)


def not_run(error, returncode):
    """The exit code when the NetBox suite could not run: fail, unless only Python 3.12 is missing outside CI."""
    if error.optional and os.environ.get("CI", "").lower() not in ("true", "1", "yes"):
        print(f"\n*** The NetBox plugin suite did NOT run: {error}\n*** The rest of the run decides the exit code. "
              "Under CI (CI=true) this fails the run.\n", file=sys.stderr)
        return returncode
    print(f"\n*** NetBox plugin tests NOT RUN, so this run FAILS: {error}\n", file=sys.stderr)
    return returncode or 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
