"""The log stream across hosts: a real redis-server; records with host and pid, the readers, Redis down."""
import io
import json
import logging
import logging.config
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
import redis
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.log import central as log
from netbox_userscripts.log import stream as logstream
from tests.gitrepo import GitRepo
from tests.gunicorn import free_port, wait_until, write_atomically, write_configuration
from tests.project import MANAGE, PROJECT, SANDBOX, environment
from tests.redisserver import REDIS_SERVER, RedisServer

pytestmark = pytest.mark.skipif(not os.path.exists(REDIS_SERVER), reason="redis-server is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def stream(server, settings, central_log):
    settings.USERSCRIPTS_LOG_STREAM = server.url
    client = redis.Redis.from_url(server.url, decode_responses=True)
    client.delete(logstream.STREAM)
    log.configure(filename=str(central_log))
    yield client
    settings.USERSCRIPTS_LOG_STREAM = None
    log.configure(filename=str(central_log))


def test_every_record_reaches_the_stream_with_host_and_pid(stream, central_log):
    logger = log.logger_for("alpha")
    logger.info("hello %s", "stream")
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("it failed")
    log.central_log.stream.flush()
    entries = stream.xrange(logstream.STREAM)
    assert [e[1]["message"].splitlines()[0] for e in entries] == ["hello stream", "it failed"]
    first = entries[0][1]
    assert (first["script"], first["level"], first["host"], first["pid"]) == (
        "alpha", "INFO", socket.gethostname(), str(os.getpid()))
    assert "ValueError: boom" in entries[1][1]["message"]
    assert "hello stream" in central_log.read_text()  # the file keeps every record as before


def test_the_tail_and_the_api_read_the_stream(stream, client, superuser):
    stream.xadd(logstream.STREAM, {"time": "2026-12-02 10:00:00,000", "level": "INFO", "script": "beta",
                                   "message": "from the other host", "host": "host-b", "pid": "7"})
    log.logger_for("alpha").warning("from here")
    log.central_log.stream.flush()
    out = io.StringIO()
    call_command("userscripts_log", "-n", "5", stdout=out)
    assert "beta.py [host-b:7]: from the other host" in out.getvalue()
    assert f"[{socket.gethostname()}:{os.getpid()}]: from here" in out.getvalue()
    out = io.StringIO()
    call_command("userscripts_log", "--host", "host-b", stdout=out)
    assert "from the other host" in out.getvalue() and "from here" not in out.getvalue()
    client.force_login(superuser)
    first = client.get("/api/userscripts/log/").json()
    assert {r["message"] for r in first["records"]} == {"from the other host", "from here"}
    assert first["file"] is None
    log.logger_for("alpha").info("later")
    log.central_log.stream.flush()
    after = client.get("/api/userscripts/log/", {"after": first["offset"]}).json()
    assert [r["message"] for r in after["records"]] == ["later"] and after["records"][0]["pid"] == str(os.getpid())
    bad = client.get("/api/userscripts/log/", {"after": "yesterday"})
    assert bad.status_code == 400 and "stream id" in bad.json()["after"][0]


FORGED = "2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged"


def test_a_message_cannot_forge_a_record_in_the_stream(stream, client, superuser):
    """Issue 27.5: a message's newline and \\r, from this host or written raw by another host's older version, are
    text of its record in ``userscripts_log`` and the API; a traceback is still shown whole."""
    logger = log.logger_for("change_log")
    logger.info("device x\n%s", FORGED)
    logger.info("device y\r%s", FORGED)
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("it failed")
    log.central_log.stream.flush()
    stream.xadd(logstream.STREAM, {"time": "2026-12-02 10:00:00,000", "level": "INFO", "script": "change_log",
                                   "message": f"device z\r\n{FORGED}\x1b[2K", "host": "old-host", "pid": "7"})
    assert [e[1]["message"] for e in stream.xrange(logstream.STREAM)][:2] == [
        f"device x\n{FORGED}", f"device y\\r{FORGED}"]  # escaped before it is sent
    out = io.StringIO()
    call_command("userscripts_log", "--script", "protect_active", stdout=out)
    assert out.getvalue() == ""
    out = io.StringIO()
    call_command("userscripts_log", "--script", "change_log", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("]: device x") and lines[1] == f"  {FORGED}"
    assert lines[2].endswith(f"]: device y\\r{FORGED}")
    assert lines[3].endswith("]: it failed") and lines[4] == "  Traceback (most recent call last):"
    assert lines[-3] == "  ValueError: boom"
    assert lines[-2] == "2026-12-02 10:00:00,000 INFO change_log.py [old-host:7]: device z" and lines[-1] == (
        f"  {FORGED}\\x1b[2K")
    assert "\r" not in out.getvalue() and not any(line.startswith(FORGED) for line in lines)
    client.force_login(superuser)
    records = client.get("/api/userscripts/log/?script=change_log").json()["records"]
    assert [(r["message"], r["traceback"]) for r in records if "forged" in r["message"] + r["traceback"]] == [
        ("device x", FORGED), (f"device y\\r{FORGED}", ""), ("device z", f"{FORGED}\\x1b[2K")]
    assert "ValueError: boom" in records[2]["traceback"]
    assert client.get("/api/userscripts/log/?script=protect_active").json()["records"] == []


def test_a_header_field_written_by_another_writer_cannot_start_a_line():
    text = logstream.text({"time": "2026-12-02 10:00:00,000", "level": "INFO", "script": "change_log",
                           "host": f"h\n{FORGED}", "pid": "1", "message": "m\nmore"})
    assert text == f"2026-12-02 10:00:00,000 INFO change_log.py [h\\n{FORGED}:1]: m\n  more"


def test_a_stream_url_that_does_not_parse_is_named(settings):
    with pytest.raises(ConfigurationError, match="USERSCRIPTS_LOG_STREAM must be a URL"):
        logstream.client_for("http://example.org/")
    settings.USERSCRIPTS_LOG_STREAM = "localhost:6379"
    with pytest.raises(CommandError, match="USERSCRIPTS_LOG_STREAM"):
        call_command("userscripts_log")
    settings.USERSCRIPTS_LOG_STREAM = None


def test_redis_down_the_file_keeps_everything_and_the_missed_count_is_logged(server, settings, central_log,
                                                                             tmp_path):
    settings.USERSCRIPTS_LOG_STREAM = server.url
    log.configure(filename=str(central_log))
    logger = log.logger_for("gamma")
    try:
        server.stop()
        for i in range(20):
            logger.info("while down %d", i)  # returns at once: the sender thread meets the closed port
        log.central_log.stream.flush()
        time.sleep(0.3)
        assert log.central_log.stream.missed >= 20
        server.start()
        client = redis.Redis.from_url(server.url, decode_responses=True)
        logger.info("back again")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(
                e[1]["message"] == "back again" for e in client.xrange(logstream.STREAM)):
            time.sleep(0.1)
        messages = [e[1]["message"] for e in client.xrange(logstream.STREAM)]
        assert "back again" in messages
        assert any("20 records missed the log stream" in m for m in messages)
        text = central_log.read_text()
        assert all(f"while down {i}" in text for i in range(20))
        assert "20 records missed the log stream while Redis was unreachable" in text
    finally:
        settings.USERSCRIPTS_LOG_STREAM = None
        log.configure(filename=str(central_log))


def test_redis_down_the_queue_stays_within_its_bytes_and_the_file_says_so_once(server, settings, central_log):
    settings.USERSCRIPTS_LOG_STREAM = server.url
    settings.USERSCRIPTS_LOG_STREAM_MAX_BYTES = 64 * 1024
    log.configure(filename=str(central_log))
    logger = log.logger_for("delta")
    stream = log.central_log.stream
    try:
        server.stop()
        largest = 0
        for i in range(400):  # 1.6 MB of records while the sender waits a second between attempts
            logger.info("big %d %s", i, "x" * 4096)
            largest = max(largest, stream.queued_bytes)
        assert largest <= 64 * 1024
        assert stream.missed >= 300
        text = central_log.read_text()
        assert text.count("the log stream's queue is full (65536 bytes, USERSCRIPTS_LOG_STREAM_MAX_BYTES)") == 1
        assert all(f"big {i} " in text for i in range(400))  # the file keeps every record
        server.start()
        logger.info("back again")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "records missed the log stream" not in central_log.read_text():
            time.sleep(0.1)
        assert "records missed the log stream while Redis was unreachable" in central_log.read_text()
    finally:
        settings.USERSCRIPTS_LOG_STREAM = None
        log.configure(filename=str(central_log))


def test_a_wrong_stream_byte_bound_is_named(server, settings, central_log):
    settings.USERSCRIPTS_LOG_STREAM = server.url
    settings.USERSCRIPTS_LOG_STREAM_MAX_BYTES = "16M"
    try:
        with pytest.raises(ConfigurationError, match="USERSCRIPTS_LOG_STREAM_MAX_BYTES must be a number of bytes"):
            log.configure(filename=str(central_log))
    finally:
        settings.USERSCRIPTS_LOG_STREAM = None
        settings.USERSCRIPTS_LOG_STREAM_MAX_BYTES = 16 * 1024 * 1024
        log.configure(filename=str(central_log))


WRITER = """
import sys, django
django.setup()
from netbox_userscripts.log import central as log
logger = log.logger_for("writer")
for i in range(int(sys.argv[2])):
    logger.info("%s %06d", sys.argv[1], i)
"""


def test_processes_of_two_hosts_lose_tear_and_duplicate_nothing(server, tmp_path):
    """2 hosts x 4 processes x 10,000 records: every one in the stream once, whole."""
    client = redis.Redis.from_url(server.url, decode_responses=True)
    client.delete(logstream.STREAM)
    per_process, procs = 10000, []
    for host in ("a", "b"):
        folder = tmp_path / host
        (folder / "scripts").mkdir(parents=True)
        config = folder / "configuration.py"
        config.write_text(f"SECRET_KEY = 'x'\nUSERSCRIPTS_ROOT = {str(folder / 'scripts')!r}\n"
                          f"USERSCRIPTS_LOG_FILE = {str(folder / 'u.log')!r}\nUSERSCRIPTS_AUTORELOAD = False\n"
                          f"USERSCRIPTS_LOG_STREAM = {server.url!r}\n"
                          f"DATABASE = {{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(folder / 'db')!r}}}\n")
        env = {**os.environ, "NETBOX_CONFIGURATION": str(config), "DJANGO_SETTINGS_MODULE": "netbox.settings",
               "PYTHONPATH": str(SANDBOX)}
        for n in range(4):
            procs.append(subprocess.Popen([sys.executable, "-c", WRITER, f"{host}{n}", str(per_process)],
                                          cwd=PROJECT, env=env))
    assert all(p.wait(timeout=240) == 0 for p in procs)
    messages = [e[1]["message"] for e in client.xrange(logstream.STREAM)]
    assert len(messages) == 8 * per_process
    assert len(set(messages)) == len(messages)  # none duplicated
    expected = {f"{h}{n} {i:06d}" for h in "ab" for n in range(4) for i in range(per_process)}
    assert set(messages) == expected  # none lost, none torn
    assert json.dumps(client.xinfo_stream(logstream.STREAM)["length"]) == str(8 * per_process)


def test_the_sender_thread_outlives_an_error_that_is_not_redis(server, caplog):
    def broken_report(message):
        raise RuntimeError("the file handler is closed")

    client = redis.Redis.from_url(server.url, decode_responses=True)
    client.delete(logstream.STREAM)
    handler = logstream.StreamHandler(server.url, 1000, on_missed=broken_report)
    handler.missed = 2  # as after Redis was down: the next send reports the count, and the report raises
    logger = logging.getLogger("sender_survives.py")
    logger.addHandler(handler)
    try:
        logger.error("first")
        handler.flush()
        deadline = time.monotonic() + 10
        while "failed: RuntimeError" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
        logger.error("second")
        deadline = time.monotonic() + 10
        while "second" not in json.dumps(logstream.last(client, 10)) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "userscripts log stream sender failed: RuntimeError: the file handler is closed; it goes on" in caplog.text
    assert "second" in json.dumps(logstream.last(client, 10))  # the thread went on


def test_a_logging_reconfiguration_does_not_stop_the_stream(stream):
    """Issue 28.6: ``dictConfig`` (Django's second ``django.setup()``, as ``runserver --noreload`` does when it
    imports the WSGI application) closes every handler of the process; the scripts' records still reach the
    stream afterwards, and the count of what was sent is the count written."""
    logger = log.logger_for("reconfigured")
    logger.info("before")
    log.central_log.stream.flush()
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    for i in range(7):
        logger.info("after %d", i)
    log.central_log.stream.flush()
    messages = [e[1]["message"] for e in stream.xrange(logstream.STREAM)]
    assert messages == ["before", *[f"after {i}" for i in range(7)]]


@pytest.fixture
def database(tmp_path, db):
    """A copy of this session's migrated SQLite test database, as a ``DATABASE`` value (a migrate costs ~50 s)."""
    if not connection.settings_dict["ENGINE"].endswith("sqlite3"):
        pytest.skip("an SQLite copy: the stream's wiring does not depend on the database")
    source, path = sqlite3.connect(connection.settings_dict["NAME"]), tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as copy:
        source.backup(copy)
    source.close()
    return f"{{'ENGINE': 'django.db.backends.sqlite3', 'NAME': {str(path)!r}}}"


def manage(config, *args):
    return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=environment(config), capture_output=True, text=True,
                          timeout=120)


def test_a_logging_configuration_that_disables_existing_loggers_leaves_the_scripts_on(stream, central_log):
    """A ``LOGGING`` without ``disable_existing_loggers: False``, applied again after the scripts' loggers exist."""
    logger = log.logger_for("still_on")
    others = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    was = [lg.disabled for lg in others]
    try:
        logging.config.dictConfig({"version": 1})  # disable_existing_loggers defaults to True
        logger.info("after the configuration")
    finally:
        for other, disabled in zip(others, was, strict=True):  # the rest of the suite's loggers as they were
            other.disabled = disabled
    log.central_log.stream.flush()
    assert [e[1]["message"] for e in stream.xrange(logstream.STREAM)] == ["after the configuration"]
    assert "still_on.py: after the configuration" in central_log.read_text()


CALLED = """\
VERSION = "{version}"

def call(**kwargs):
    logger.info("answered %s %s", VERSION, kwargs.get("n"))
    return VERSION
"""


def answered(base, version):
    return requests.get(f"{base}/userscript/?script=which", timeout=5).text == version


def call_seven_times(base, version):
    for n in range(7):
        assert requests.get(f"{base}/userscript/?script=which&n={n}", timeout=5).text == version


def seven_calls_before_and_after(config, client, change):
    """Under ``runserver --noreload`` of ``config``: call ``which`` 7 times (v1), ``change()`` it to v2, 7 calls
    more; the stream's messages once the 14 records are in it (or 10 s passed), and the server's pid."""
    client.delete(logstream.STREAM)
    port = free_port()
    proc = subprocess.Popen([*MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"], cwd=PROJECT,
                            env=environment(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base, expected = f"http://127.0.0.1:{port}", [f"answered {v} {n}" for v in ("v1", "v2") for n in range(7)]
    try:
        wait_until(lambda: answered(base, "v1"), timeout=60, message="runserver did not answer v1")
        call_seven_times(base, "v1")
        change()
        wait_until(lambda: answered(base, "v2"), timeout=30, message="runserver did not move to v2")
        call_seven_times(base, "v2")
        deadline = time.monotonic() + 10
        while True:
            messages = [e[1]["message"] for e in client.xrange(logstream.STREAM)]
            if set(expected) <= set(messages) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    assert [m for m in messages if m in expected] == expected  # 7 of 7, before and after the reload
    return messages, proc.pid


def test_runserver_noreload_streams_a_git_synced_modules_records(server, tmp_path, database):
    """Issue 28.6 as reported: with ``USERSCRIPTS_GIT`` under ``runserver --noreload``, every record of a git-synced
    module's ``call()`` reaches the stream (7 of 7), before and after the process moves to a new commit; and the
    management command's records too."""
    client = redis.Redis.from_url(server.url, decode_responses=True)
    repo = GitRepo(tmp_path / "origin")
    repo.commit({"which.py": CALLED.format(version="v1")})
    (tmp_path / "userscripts").mkdir()
    config = write_configuration(tmp_path, tmp_path / "userscripts", database, anonymous_calls=["which"],
                                 extra=f"USERSCRIPTS_GIT = {{'url': {str(repo.path)!r}, 'branch': 'main'}}\n"
                                       f"USERSCRIPTS_LOG_STREAM = {server.url!r}\nALLOWED_HOSTS = ['*']\n")
    synced = manage(config, "userscripts_sync")
    assert synced.returncode == 0, synced.stderr

    def new_commit():
        repo.commit({"which.py": CALLED.format(version="v2")})
        assert manage(config, "userscripts_sync").returncode == 0

    messages, _ = seven_calls_before_and_after(config, client, new_commit)
    assert sum(m.startswith("synced ") for m in messages) == 1  # the management command's record
    assert any(m.startswith("this process moved from") for m in messages)


def test_runserver_noreload_streams_a_folder_modules_records_after_a_hot_reload(server, tmp_path, database):
    client = redis.Redis.from_url(server.url, decode_responses=True)
    root = tmp_path / "userscripts"
    root.mkdir()
    (root / "which.py").write_text(CALLED.format(version="v1"))
    config = write_configuration(tmp_path, root, database, anonymous_calls=["which"],
                                 extra=f"USERSCRIPTS_LOG_STREAM = {server.url!r}\nALLOWED_HOSTS = ['*']\n")
    messages, pid = seven_calls_before_and_after(
        config, client, lambda: write_atomically(root / "which.py", CALLED.format(version="v2")))
    assert f"which.py loaded: call() (web, pid {pid})" in messages  # the hot reload's own line
