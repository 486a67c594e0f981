"""The central userscripts log: one rotating file that every script's logger writes to.

Each userscript ``NAME.py`` logs through ``logging.getLogger("NAME.py")``; all of them
share one handler, a ``ConcurrentRotatingFileHandler``, which takes a file lock around
each write and each rollover, so several server workers and ``runjob`` can write at once
and no record is lost, torn or duplicated when the file rotates. Line format::

    2026-11-22 14:03:07,123 INFO my_script.py: message
      the message's further lines, then a traceback, each indented (``lines``)
"""
import contextlib
import logging
import sys

from concurrent_log_handler import ConcurrentRotatingFileHandler

from netbox_userscripts.conf import setting
from netbox_userscripts.log import lines
from netbox_userscripts.log import stream as logstream

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RecordFormatter(logging.Formatter):
    """``LINE_FORMAT``, a record's further lines indented and control characters escaped (``lines``):
    whatever a message says, it stays inside its own record."""

    def __init__(self):
        super().__init__(LINE_FORMAT)

    def format(self, record):
        return lines.as_record(super().format(record))


class CentralLogHandler(ConcurrentRotatingFileHandler):
    """Reports a failure to write (disk full, file unwritable) once on stderr, not per record.

    Logging must never break the operation that logs: the record is dropped, the save
    or request goes on.
    """

    _reported = False

    def handleError(self, record):
        if not self._reported:
            self._reported = True
            exc = sys.exc_info()[1]
            sys.stderr.write(f"userscripts: cannot write the central log {self.baseFilename}: {exc}; "
                             "records are dropped until it is writable again.\n")


class ScriptLogger(logging.Logger):
    """A script's logger, which a logging configuration applied later cannot switch off.

    ``logging.config.dictConfig`` disables every logger that exists and is not in the new
    configuration (``disable_existing_loggers``, true unless said otherwise); Django applies
    ``LOGGING`` again at a second ``django.setup()`` (``runserver --noreload`` loading the
    WSGI application), after the scripts' loggers were made: their records would reach
    neither the file nor the stream.
    """

    @property
    def disabled(self):
        return False

    @disabled.setter
    def disabled(self, value):
        pass  # the engine's own loggers: their level and handlers are the central log's


class CentralLog:
    """Owns the one handler and the loggers attached to it."""

    def __init__(self):
        self.handler = None
        self.stream = None  # the logstream.StreamHandler with USERSCRIPTS_LOG_STREAM, else None
        self.loggers = {}
        self.filters = []  # on the file's handler, kept when it is reopened (the metrics count records there)
        self.on_drop = None  # called for each record the stream leaves out (the metrics count them)

    def add_filter(self, log_filter):
        """Put ``log_filter`` on the file's handler, now and whenever it is reopened."""
        if log_filter not in self.filters:
            self.filters.append(log_filter)
            if self.handler is not None:
                self.handler.addFilter(log_filter)

    def configure(self, filename=None, max_size=None, backup_count=None, level=None):
        """(Re)open the central log, with the settings unless told otherwise."""
        handler = CentralLogHandler(
            filename or setting("USERSCRIPTS_LOG_FILE"),
            maxBytes=max_size or setting("USERSCRIPTS_LOG_MAX_SIZE"),
            backupCount=setting("USERSCRIPTS_LOG_BACKUP_COUNT") if backup_count is None else backup_count,
            encoding="utf-8",
        )
        handler.setFormatter(RecordFormatter())
        handler.setLevel(level or setting("USERSCRIPTS_LOG_LEVEL"))
        for log_filter in self.filters:
            handler.addFilter(log_filter)
        old, self.handler = self.handler, handler
        old_stream, self.stream = self.stream, self._stream_handler(level)
        for logger in self.loggers.values():
            for previous in (old, old_stream):
                if previous is not None:
                    logger.removeHandler(previous)
            logger.addHandler(handler)
            if self.stream is not None:
                logger.addHandler(self.stream)
        if old is not None:
            with contextlib.suppress(OSError):  # a file on a full disk cannot even flush on close
                old.close()
        if old_stream is not None:
            old_stream.close()
        return handler

    def _stream_handler(self, level):
        url = setting("USERSCRIPTS_LOG_STREAM")
        if not url:
            return None
        stream = logstream.StreamHandler(url, setting("USERSCRIPTS_LOG_STREAM_MAX"), on_missed=self._note_missed,
                                         on_drop=self._note_dropped,
                                         max_bytes=setting("USERSCRIPTS_LOG_STREAM_MAX_BYTES"))
        stream.setLevel(level or setting("USERSCRIPTS_LOG_LEVEL"))
        return stream

    def _note_missed(self, message):
        """What missed the stream (records dropped, then their count), written to the file (which has them all)."""
        if self.handler is not None:
            self.handler.handle(logging.LogRecord("userscripts_log.py", logging.WARNING, __file__, 0, message,
                                                  None, None))

    def flush_stream(self, timeout=5):
        """Wait until the stream took this process's queued records: before an end without ``logging.shutdown``
        (RQ's work horse ends with ``os._exit``, which would lose what its sender thread had not sent yet)."""
        if self.stream is not None:
            self.stream.flush(timeout)

    def _note_dropped(self):
        if self.on_drop is not None:
            self.on_drop()

    @property
    def filename(self):
        return self.handler.baseFilename if self.handler else setting("USERSCRIPTS_LOG_FILE")

    def logger_for(self, script_name):
        """The logger of ``script_name`` (``NAME``, without ``.py``), attached to the central log."""
        logger = self.loggers.get(script_name)
        if logger is None:
            if self.handler is None:
                self.configure()
            logger = logging.getLogger(f"{script_name}.py")
            logger.__class__ = ScriptLogger  # a Logger made by logging's manager, made one that stays enabled
            logger.setLevel(setting("USERSCRIPTS_LOG_LEVEL"))
            logger.addHandler(self.handler)
            if self.stream is not None:
                logger.addHandler(self.stream)
            self.loggers[script_name] = logger
        return logger


central_log = CentralLog()
configure = central_log.configure
logger_for = central_log.logger_for
flush_stream = central_log.flush_stream
