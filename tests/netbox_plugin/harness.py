"""Run the plugin's tests inside a real NetBox: ``make test-netbox`` (part of ``make test``).

    python tests/netbox_plugin/harness.py run [-- COMMAND...]

With a COMMAND (``make test`` gives the project's own suite), NetBox is prepared while it
runs; the plugin's tests run after it, and the exit code is non-zero if either failed.

1. Finds Python 3.12+ (``NETBOX_PYTHON``, ``python3.12``/``python3.13`` on PATH, or pyenv's):
   NetBox 4.7 needs it. Without it the run FAILS, saying so: it never passes silently.
2. Makes ``.netbox-venv`` with ``netbox==4.7.3`` from PyPI (once), then installs the
   plugin's wheel (``make plugin-wheel``) into it, fresh every run.
3. Starts a throw-away PostgreSQL (``tests/pgserver.py``) and Redis (Debian's
   ``redis-server``), writes NetBox's ``configuration.py`` into a temporary ``NETBOX_ROOT``.
4. Migrates NetBox once into the template database ``nb_base`` (~9 minutes on 2 cores),
   then clones it to ``nb_plugin`` and runs ``netbox migrate`` there with the plugin
   installed. Each test module clones ``nb_plugin`` (``CREATE DATABASE ... TEMPLATE``).
5. Runs pytest on ``tests/netbox_plugin`` with the NetBox virtualenv's Python
   (``NETBOX_PYTEST_ARGS``, default ``-q``).

``NBTEST_REUSE_PG=HOST:PORT`` and ``NBTEST_REUSE_REDIS=PORT`` use running servers instead
(a database ``nb_base`` already there is not migrated again): for development.
"""
import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))
import pgserver  # noqa: E402

NETBOX_REQUIREMENT = "netbox==4.7.3"
TEST_REQUIREMENTS = ["pytest>=8.0", "requests>=2.31", "pynetbox==7.9.0"]
VENV = ROOT / ".netbox-venv"
# The preparation runs beside the project's suite, whose timing tests must not starve: it
# gets the CPU the suite leaves (the migrations' Python and the PostgreSQL server both).
NICE = ["nice", "-n", "10"] if shutil.which("nice") else []


class NotRun(Exception):
    """The plugin's tests cannot run here; the run fails with this message (said again at the end)."""


def fail(message):
    print(f"\n*** NetBox plugin tests NOT RUN: {message}\n", file=sys.stderr, flush=True)
    raise NotRun(message)


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
         "or set NETBOX_PYTHON=/path/to/python3.12.")


def build_wheel():
    """``make plugin-wheel``: the root's own build (``python -m build``); returns the wheel and the sdist."""
    subprocess.run(["make", "-s", "-C", str(ROOT), "plugin-wheel"], check=True, stdout=subprocess.DEVNULL)
    wheel, = (ROOT / "dist").glob("netbox_userscripts-*-py3-none-any.whl")
    sdist, = (ROOT / "dist").glob("netbox_userscripts-*.tar.gz")
    return wheel, sdist


def prepare_venv(python, wheel):
    stamp = VENV / ".netbox-installed"
    wanted = hashlib.sha256(" ".join([NETBOX_REQUIREMENT, *TEST_REQUIREMENTS]).encode()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"Installing {NETBOX_REQUIREMENT} into {VENV} (once) ...", flush=True)
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(VENV)], check=True)
        subprocess.run([*NICE, VENV / "bin/python", "-m", "pip", "install", "-qq", NETBOX_REQUIREMENT,
                        *TEST_REQUIREMENTS], check=True)
        stamp.write_text(wanted)
    # The plugin as a user installs it: its wheel, its dependencies, nothing from this checkout.
    subprocess.run([VENV / "bin/python", "-m", "pip", "install", "-qq", str(wheel)], check=True)
    subprocess.run([VENV / "bin/python", "-m", "pip", "install", "-qq", "--force-reinstall", "--no-deps",
                    str(wheel)], check=True)
    return VENV / "bin/python"


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


def netbox(python, env, *args):
    started = time.monotonic()
    subprocess.run([*NICE, str(Path(python).parent / "netbox"), *args], env=env, check=True)
    return time.monotonic() - started


class Preparation:
    """The slow part, in a thread: the virtualenv, the servers, NetBox's migrations."""

    def __init__(self):
        self.error = None
        self.work = Path(tempfile.mkdtemp(prefix="userscripts-netbox-"))
        self.postgres = Postgres()
        self.redis = None

    def __call__(self):
        try:
            self.prepare()
        except BaseException as exc:  # reported by the main thread once the project's command is done
            self.error = exc

    def prepare(self):
        python = find_python()
        print(f"NetBox plugin tests: preparing NetBox with {python} (in the background)", flush=True)
        self.wheel, self.sdist = build_wheel()
        self.python = prepare_venv(python, self.wheel)
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
                    "NBTEST_WHEEL": str(self.wheel), "NBTEST_SDIST": str(self.sdist),
                    "NBTEST_USERSCRIPTS_ROOT": str(self.work / "userscripts"),
                    "NBTEST_USERSCRIPTS_LOG": str(self.work / "logs" / "userscripts.log")}
        if not self.postgres.exists("nb_base"):
            print("NetBox plugin tests: migrating NetBox into the template database (~9 minutes on 2 cores)",
                  flush=True)
            self.postgres.psql("CREATE DATABASE nb_base")
            seconds = netbox(self.python, {**self.env, "NBTEST_DB": "nb_base", "NBTEST_PLUGIN": "0"},
                             "migrate", "--no-input", "--verbosity", "0")
            print(f"NetBox plugin tests: NetBox migrated in {seconds:.0f} s", flush=True)
        self.postgres.psql("DROP DATABASE IF EXISTS nb_plugin")
        self.postgres.psql("CREATE DATABASE nb_plugin TEMPLATE nb_base")
        seconds = netbox(self.python, {**self.env, "NBTEST_DB": "nb_plugin"}, "migrate", "--no-input",
                         "--verbosity", "0")
        print(f"NetBox plugin tests: the plugin's migrations applied by `netbox migrate` in {seconds:.0f} s",
              flush=True)

    def cleanup(self):
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait()
        self.postgres.stop()
        shutil.rmtree(self.work, ignore_errors=True)


def main(argv):
    if not argv or argv[0] != "run" or (len(argv) > 1 and argv[1] != "--"):
        sys.exit("usage: harness.py run [-- COMMAND...]   (NETBOX_PYTEST_ARGS go to the plugin tests' pytest)")
    command = argv[2:]
    preparation = Preparation()
    thread = threading.Thread(target=preparation, daemon=True)
    thread.start()
    try:
        returncode = subprocess.run(command).returncode if command else 0
        thread.join()
        if isinstance(preparation.error, NotRun):
            print(f"\n*** NetBox plugin tests NOT RUN, so this run FAILS: {preparation.error}\n", file=sys.stderr)
            return 1
        if preparation.error is not None:
            raise preparation.error
        pytest_args = os.environ.get("NETBOX_PYTEST_ARGS", "-q").split()
        tests = subprocess.run([str(preparation.python), "-m", "pytest", "-c", str(HERE / "pytest.ini"),
                                "--rootdir", str(HERE), "--confcutdir", str(HERE), str(HERE), *pytest_args],
                               env={**preparation.env, "NBTEST_DB": "nb_plugin"}, cwd=str(preparation.work))
        return returncode or tests.returncode
    finally:
        preparation.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
