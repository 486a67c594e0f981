"""The log stream across hosts: every record of the central log also goes to one Redis stream.

With ``USERSCRIPTS_LOG_STREAM = "redis://host:6379/4"`` each record is added to the stream
``userscripts:log`` (``XADD``, capped near ``USERSCRIPTS_LOG_STREAM_MAX`` entries: the
stream's rotation) with its time, level, script, message, host and pid. Records are handed
to a sender thread, so a save or a request never waits for Redis (each command to Redis
has a socket timeout); when Redis is down the records that cannot be sent are counted (the
file keeps them all) and, once it answers again, the count is written to the file and the
stream. The records waiting to be sent take at most ``USERSCRIPTS_LOG_STREAM_MAX_BYTES``
(their text): beyond that a record is dropped from the stream and counted, and the file
says so once, when the first is dropped. ``read``/``follow`` read it back
for ``userscripts_log``, the API and the page.

An entry's ``message`` keeps its newlines (a multi-line message, then the traceback) with
its control characters escaped; ``text`` prints it as the file has it, every line after the
first indented, so no message reads as a record of its own (``lines``).
"""
import logging
import os
import queue
import socket
import threading
import time
from urllib.parse import urlparse

import redis

from netbox_userscripts.conf import setting
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.log import lines
from netbox_userscripts.log.survive import SurvivingLoop

STREAM = "userscripts:log"
FIELDS = ("time", "level", "script", "message", "host", "pid")
BATCH = 500
QUEUE_SIZE = 100000
RETRY_EVERY = 1.0  # seconds between attempts while Redis is down
logger = logging.getLogger("netbox_userscripts.log.stream")  # the engine's own: not a script's, so not streamed


def client_for(url):
    """A Redis client for ``url``; raises ``ConfigurationError`` naming the setting when the URL does not parse."""
    if not isinstance(url, str) or urlparse(url).scheme not in ("redis", "rediss", "unix"):
        raise ConfigurationError(f"USERSCRIPTS_LOG_STREAM must be a URL like redis://host:6379/4, got {url!r}.")
    try:
        return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1, decode_responses=True)
    except ValueError as exc:
        raise ConfigurationError(f"USERSCRIPTS_LOG_STREAM {url!r} does not parse: {exc}") from None


class StreamHandler(logging.Handler):
    """Queues each formatted record; a daemon thread sends them in pipelined batches."""

    def __init__(self, url, max_length, on_missed=None, max_bytes=16 * 1024 * 1024, on_drop=None):
        super().__init__()
        self.client = client_for(url)
        self.max_length = max_length
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes <= 0:
            raise ConfigurationError(f"USERSCRIPTS_LOG_STREAM_MAX_BYTES must be a number of bytes > 0, "
                                     f"got {max_bytes!r}.")
        self.max_bytes = max_bytes
        self.on_missed = on_missed  # called with a message for the file: records dropped, then missed
        self.on_drop = on_drop  # called for each record dropped
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.missed = 0
        self.queued_bytes = 0  # the text of the records waiting in the queue
        self._dropping = False  # said in the file once per outage
        self._queue = queue.Queue(QUEUE_SIZE)
        self._thread = None
        self._lock = threading.Lock()

    def emit(self, record):
        try:
            entry = self._entry(record)
        except Exception:  # a record that cannot be formatted: the file handler reports it
            return
        if self._forked():
            entry["pid"] = str(self.pid)
        self._ensure_thread()
        size = _size(entry)
        with self._lock:
            room = self.queued_bytes + size <= self.max_bytes
            if room:
                self.queued_bytes += size
        if room:
            try:
                self._queue.put_nowait(entry)
                return
            except queue.Full:
                with self._lock:
                    self.queued_bytes -= size
        self._drop()

    def _forked(self):
        """True, once, in a forked child (gunicorn --preload, RQ's work horse): its own pid, queue and thread (the
        parent's queued records are the parent's to send)."""
        if os.getpid() == self.pid:
            return False
        self.pid, self._thread, self._queue = os.getpid(), None, queue.Queue(QUEUE_SIZE)
        self.queued_bytes = 0
        return True

    def _drop(self):
        """Count a record left out of the stream; the first of an outage is said in the file."""
        with self._lock:
            self.missed += 1
            said, self._dropping = self._dropping, True
        if self.on_drop is not None:
            self.on_drop()
        if not said and self.on_missed is not None:
            self.on_missed(f"the log stream's queue is full ({self.max_bytes} bytes, "
                           "USERSCRIPTS_LOG_STREAM_MAX_BYTES): records are left out of the stream until Redis "
                           "takes them again (the file has them all; their count follows then)")

    def _entry(self, record):
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        created = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(record.created))
        script = record.name[:-3] if record.name.endswith(".py") else record.name
        return {"time": f"{created},{int(record.msecs):03d}", "level": record.levelname, "script": script,
                "message": lines.escape("\n".join(lines.split(message))), "host": self.host, "pid": str(self.pid)}

    def _ensure_thread(self):
        # None before the first record and after close(); not alive when a reconfiguration's close() stopped it
        if self._thread is None or not self._thread.is_alive():
            with self._lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._send_forever, name="userscripts-log-stream",
                                                    daemon=True)
                    self._thread.start()

    def _send_forever(self):
        # anything but Redis being down (which _send counts) is logged once a minute; the thread goes on
        guard = SurvivingLoop(logger, "userscripts log stream sender")
        while True:
            entries = [self._queue.get()]
            while len(entries) < BATCH:
                try:
                    entries.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            records = [e for e in entries if e is not None]
            with self._lock:
                self.queued_bytes -= sum(_size(e) for e in records)
            if len(records) < len(entries):  # close(): send what came with it, then stop
                guard.run(self._send, records)
                return
            if not guard.run(self._send, entries):
                time.sleep(RETRY_EVERY)

    def _send(self, entries):
        """XADD the entries; True when Redis took them. While down, they are counted as missed."""
        if not entries:
            return True
        try:
            if self.missed:
                self._report_missed()
            pipe = self.client.pipeline(transaction=False)
            for entry in entries:
                pipe.xadd(STREAM, entry, maxlen=self.max_length, approximate=True)
            pipe.execute()
            return True
        except redis.RedisError:
            with self._lock:
                self.missed += len(entries)
            return False

    def _report_missed(self):
        self.client.ping()  # raises while Redis is still down: the count stays
        with self._lock:
            missed, self.missed, self._dropping = self.missed, 0, False
        message = f"{missed} records missed the log stream while Redis was unreachable (the file has them)"
        self.client.xadd(STREAM, {"time": time.strftime("%Y-%m-%d %H:%M:%S,000"), "level": "WARNING",
                                  "script": "userscripts_log", "message": message, "host": self.host,
                                  "pid": str(self.pid)}, maxlen=self.max_length, approximate=True)
        if self.on_missed is not None:
            self.on_missed(message)

    def flush(self, timeout=10):
        """Wait until the queued records were sent (or ``timeout`` passed)."""
        deadline = time.monotonic() + timeout
        self._forked()
        if not self._queue.empty():
            self._ensure_thread()  # records queued after a close(): a sender takes them now
        while not self._queue.empty() and time.monotonic() < deadline:
            time.sleep(0.01)

    def close(self):
        """Send what is queued and stop the sender; a later record starts a new one.

        A close is not the end of this handler: ``logging.config.dictConfig`` closes every handler
        of the process (Django's second ``django.setup()``, in ``get_wsgi_application()`` under
        ``runserver --noreload``, calls it), while the scripts' loggers keep this one. Were the
        sender stopped for good, their records would wait in the queue forever (issue 28.6).
        """
        thread = self._thread
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(timeout=10)
        super().close()


def _size(entry):
    """What a queued record costs in memory, near enough: the length of its text."""
    return sum(len(value) for value in entry.values()) + 200  # the dict and its strings' own overhead


def read(client, after="0-0", count=100, block=None):
    """``[(id, fields)]`` after the id ``after``; with ``block`` (ms), wait that long for new ones."""
    answer = client.xread({STREAM: after}, count=count, block=block)
    return answer[0][1] if answer else []


def end(client):
    """The id of the newest entry ever added ("0-0" before any): where a follower starts."""
    return client.xinfo_stream(STREAM)["last-generated-id"] if client.exists(STREAM) else "0-0"


def last(client, count):
    """The last ``count`` entries, oldest first."""
    return list(reversed(client.xrevrange(STREAM, count=count))) if count else []


def matches(fields, script=None, level=None, host=None):
    if script and fields.get("script") != script:
        return False
    if host and fields.get("host") != host:
        return False
    return not level or logging.getLevelName(fields.get("level", "INFO")) >= logging.getLevelName(level.upper())


def text(fields):
    """The record as the file has it (its further lines indented, all escaped), with its host and pid."""
    first, *more = lines.split(fields.get("message") or "")
    return lines.record_text(f"{fields.get('time')} {fields.get('level')} {fields.get('script')}.py "
                             f"[{fields.get('host')}:{fields.get('pid')}]: {first}", more)


def as_dict(fields):
    """The shape of ``logtail.Record.as_dict()`` (the page and the API), with host and pid; escaped, as the
    file's records are (an entry may come from another host's older version)."""
    message, *more = lines.split(fields.get("message") or "")
    return {"time": fields.get("time"), "level": fields.get("level"), "script": fields.get("script"),
            "message": lines.escape(message), "traceback": lines.escape("\n".join(more)), "host": fields.get("host"),
            "pid": fields.get("pid")}


def stream_client():
    """The client of ``USERSCRIPTS_LOG_STREAM``, or None without one."""
    url = setting("USERSCRIPTS_LOG_STREAM")
    return client_for(url) if url else None
