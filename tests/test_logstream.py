"""The log stream across hosts: a real redis-server; records with host and pid, the readers, Redis down."""
import io
import json
import logging
import os
import socket
import subprocess
import sys
import time

import pytest
import redis
from django.core.management import call_command
from django.core.management.base import CommandError

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.log import central as log
from netbox_userscripts.log import stream as logstream
from tests.project import PROJECT, SANDBOX
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
