"""Fixtures for the plugin's tests inside a real NetBox (run by ``harness.py``, not by the project's pytest).

This process is itself a NetBox process (``DJANGO_SETTINGS_MODULE=netbox.settings``, the
plugin installed from its wheel): the tests set data up and check results through NetBox's
ORM, and talk to a NetBox server over HTTP. Each test module gets ``nb``: its own clone of
the migrated database, its own userscripts folder (the module's ``USERSCRIPTS``) and log,
and a NetBox server (``runserver``) on them. A module with ``TASKS_REDIS_OF_ITS_OWN = True``
gets a ``redis-server`` of its own for NetBox's task queues (``nb.tasks_redis``), which its
tests may kill and start again without touching the Redis the other modules share.
A module with ``NETBOX_BRANCHING = True`` runs NetBox with NetBox Labs' branching plugin (its
clone migrated for branching's tables first).
"""
import contextlib
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402

TEMPLATE = os.environ.get("NBTEST_DB", "nb_plugin")
# NetBox's commands: a source tree's manage.py (the harness sets NBTEST_MANAGE), or the wheel's ``netbox``.
MANAGE = ([sys.executable, os.environ["NBTEST_MANAGE"]] if os.environ.get("NBTEST_MANAGE")
          else [str(Path(sys.executable).parent / "netbox")])
SERVER_START_SECONDS = 180


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_sql(sql):
    """Run ``sql`` outside any transaction on the maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    params = settings.DATABASES["default"]
    with psycopg.connect(host=params["HOST"], port=params["PORT"], user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        connection.execute(sql)


def use_database(name):
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


class Server:
    """A NetBox server process (``netbox runserver --noreload`` unless told otherwise) on the module's database."""

    def __init__(self, env, command=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = command or [*MANAGE, "runserver", "--noreload", f"127.0.0.1:{self.port}"]
        command = [part.replace("{port}", str(self.port)) for part in command]
        self.output = open(env["NBTEST_SERVER_LOG"], "ab")
        self.process = subprocess.Popen(command, env=env, cwd=env["NETBOX_ROOT"], stdout=self.output,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"NetBox server exited: {Path(env['NBTEST_SERVER_LOG']).read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/login/", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"NetBox server did not answer in {SERVER_START_SECONDS} s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.output.close()


class NetBoxUnderTest:
    """What a test module gets: the server's URL, users, tokens, the log, helpers."""

    def __init__(self, folder, env, server, admin, tokens, tasks_redis=None):
        self.folder, self.env, self.server, self.admin, self.tokens = folder, env, server, admin, tokens
        self.tasks_redis = tasks_redis  # a TasksRedis with the module's TASKS_REDIS_OF_ITS_OWN
        self.url = server.url
        self.log_path = Path(env["NBTEST_USERSCRIPTS_LOG"])
        self.manage_command = MANAGE  # a list: the command's first words

    def api(self, method, path, token="v1", **kwargs):
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = self.tokens[token]
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def session(self, username="admin", password="admin-password"):
        """A browser-like session logged in through NetBox's login form."""
        session = requests.Session()
        page = session.get(f"{self.url}/login/", timeout=30)
        session.post(f"{self.url}/login/", data={"username": username, "password": password,
                                                  "csrfmiddlewaretoken": csrf(page.text)},
                     headers={"Referer": f"{self.url}/login/"}, timeout=30, allow_redirects=False)
        assert "sessionid" in session.cookies, "login failed"
        return session

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def manage(self, *args, **kwargs):
        """``netbox ARGS`` (or ``manage.py ARGS``) in a new process on this module's database."""
        return subprocess.run([*MANAGE, *args], env=self.env, cwd=self.env["NETBOX_ROOT"], capture_output=True,
                              text=True, timeout=600, **kwargs)


class TasksRedis:
    """A ``redis-server`` on a port of its own for a module's task queues: killed and started again on that port."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self):
        import redis

        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no", "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        client = redis.Redis(host="127.0.0.1", port=self.port)
        if not wait_for(lambda: _answers(client), timeout=10):
            raise RuntimeError(f"redis-server on port {self.port} did not start")
        return self

    def kill(self):
        """SIGKILL, as a crash: no shutdown of its own."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _answers(client):
    import redis

    try:
        return client.ping()
    except redis.ConnectionError:
        return False


@contextlib.contextmanager
def tasks_redis_of_its_own(module, folder, env):
    """With ``TASKS_REDIS_OF_ITS_OWN``: the module's NetBox processes and this one queue tasks on a Redis of its own."""
    if not getattr(module, "TASKS_REDIS_OF_ITS_OWN", False):
        yield None
        return
    server = TasksRedis(folder).start()
    env["NBTEST_TASKS_REDIS_PORT"] = str(server.port)
    queues = list(settings.RQ_QUEUES.values())  # NetBox's queues share one dict of connection parameters
    shared_port = queues[0]["PORT"]
    for queue in queues:
        queue["PORT"] = server.port
    try:
        yield server
    finally:
        for queue in queues:
            queue["PORT"] = shared_port
        server.kill()


def csrf(html):
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def wait_for(predicate, timeout=20, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


@pytest.fixture(scope="module")
def rqworker(request, nb):
    """NetBox's ``rqworker`` on the module's database and folder, for the module's tests (the module's
    ``RQWORKER_OPTIONS`` added, e.g. ``--worker-class``)."""
    output = open(Path(nb.env["NBTEST_SERVER_LOG"]).with_name("rqworker.log"), "ab")
    options = getattr(request.module, "RQWORKER_OPTIONS", [])
    process = subprocess.Popen([*nb.manage_command, "rqworker", *options, "high", "default", "low"], env=nb.env,
                               cwd=nb.env["NETBOX_ROOT"], stdout=output, stderr=subprocess.STDOUT)
    yield process
    stop_rqworker(process)
    output.close()


def stop_rqworker(process):
    """Stop an ``rqworker``: rq stops on SIGTERM by raising in its signal handler, and when that lands
    in a ``__del__`` Python drops it ("Exception ignored"); a second SIGTERM is rq's cold shutdown."""
    for wait in (10, 20):
        process.terminate()
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    process.wait()


def processes_on_the_recorded_version(nb, worker):
    """The process table when the server (web) and ``worker`` (rqworker) are both live on the recorded version."""
    table = nb.api("GET", "/api/plugins/userscripts/processes/").json()
    live = {row["role"]: row for row in table["results"]
            if row["state"] == "live" and row["pid"] in (nb.server.process.pid, worker.pid)}
    on_it = set(live) == {"web", "rqworker"} and all(
        row["version"] == table["recorded"] and not row["mismatch"] for row in live.values())
    return table if on_it else None


@contextlib.contextmanager
def running_rqworker(nb, log=subprocess.DEVNULL):
    """NetBox's ``rqworker`` on the module's database while the block runs; never left behind after it."""
    worker = subprocess.Popen([*nb.manage_command, "rqworker", "high", "default", "low"], env=nb.env,
                              cwd=nb.env["NETBOX_ROOT"], stdout=log, stderr=subprocess.STDOUT)
    try:
        yield worker
    finally:
        stop_rqworker(worker)


def make_token(user, version):
    from users.models import Token

    token = Token(user=user, version=version, write_enabled=True)
    token.save()
    return token.get_auth_header_prefix() + token.token


@pytest.fixture(scope="module")
def nb(request, tmp_path_factory):
    from netbox_userscripts.loading.registry import registry
    from netbox_userscripts.log import central as log

    name = request.module.__name__.rpartition(".")[2]
    work = tmp_path_factory.mktemp(name)
    folder = work / "userscripts"
    folder.mkdir()
    for filename, source in getattr(request.module, "USERSCRIPTS", {}).items():
        (folder / filename).write_text(textwrap.dedent(source))
    database = os.environ.get("NBTEST_DB_PREFIX", "") + f"t_{name}"  # the source-style pass's: s_t_NAME
    admin_sql(f"DROP DATABASE IF EXISTS {database}")
    admin_sql(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    _flush_redis()
    env = {**os.environ, "NBTEST_DB": database, "NBTEST_USERSCRIPTS_ROOT": str(folder),
           "NBTEST_USERSCRIPTS_LOG": str(work / "logs" / "userscripts.log"),
           "NBTEST_SERVER_LOG": str(work / "server.log"),
           "NBTEST_PLUGIN_SETTINGS": json.dumps(getattr(request.module, "PLUGIN_SETTINGS", {})),
           "NBTEST_NETBOX_SETTINGS": json.dumps(getattr(request.module, "NETBOX_SETTINGS", {})),
           "NBTEST_BRANCHING": "1" if getattr(request.module, "NETBOX_BRANCHING", False) else "0",
           "NBTEST_REDIS_DATABASE": str(getattr(request.module, "REDIS_DATABASE", 0))}
    if getattr(request.module, "METRICS_MULTIPROCESS", False):  # prometheus-client's mode, as NetBox's docs say
        env["PROMETHEUS_MULTIPROC_DIR"] = str(work / "metrics")
    # This process too runs the plugin on the module's folder, database and log.
    plugin_settings = settings.PLUGINS_CONFIG["netbox_userscripts"]
    plugin_settings.update(USERSCRIPTS_ROOT=env["NBTEST_USERSCRIPTS_ROOT"],
                           USERSCRIPTS_LOG_FILE=env["NBTEST_USERSCRIPTS_LOG"])
    use_database(database)
    Path(env["NBTEST_USERSCRIPTS_LOG"]).parent.mkdir()
    if env["NBTEST_BRANCHING"] == "1":  # branching's own tables, on this module's clone only
        subprocess.run([*MANAGE, "migrate", "--no-input", "--verbosity", "0"], env=env, cwd=env["NETBOX_ROOT"],
                       check=True)
    log.configure()
    registry.load_all(folder)

    from users.models import User

    admin = User.objects.create_superuser("admin", "admin@example.com", "admin-password")
    tokens = {"v1": make_token(admin, 1), "v2": make_token(admin, 2)}
    command = getattr(request.module, "SERVER_COMMAND", None)
    with tasks_redis_of_its_own(request.module, work, env) as tasks_redis:
        server = Server(env, command)
        try:
            yield NetBoxUnderTest(folder, env, server, admin, tokens, tasks_redis)
        finally:
            server.stop()
            registry.unload_all()
            use_database(TEMPLATE)
            admin_sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


def _flush_redis():
    import redis

    redis.Redis(host="127.0.0.1", port=int(os.environ["NBTEST_REDIS_PORT"])).flushall()
