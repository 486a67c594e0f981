"""Userscript receivers: how they are captured at import and how they fail.

While a userscript module is imported, ``Signal.connect`` does not connect a receiver
defined in that module or in a helper package beside it: it records the receiver, wrapped
in a ``GuardedReceiver``, in the module's ``Connections``. Once the module imported, the
registry installs them through its ``ReceiverSlots`` (see ``slots``), so a reload never
leaves an old receiver behind and a failed import never leaves half a module connected.
A receiver defined anywhere else (a library or project module that the userscript imports
for the first time, and that connects its receivers at import) is connected as Django
would: it belongs to that library, and no reload or deletion of the userscript touches it.

A ``GuardedReceiver`` applies the failure rules of the contract:

* the receiver runs in a savepoint, opened lazily by its first query: if it raises, its
  own writes are rolled back and the surrounding transaction stays usable;
* the exception and its traceback go to the script's log, and the operation goes on;
* ``AbortEvent`` (or the host's own veto, ``exceptions.vetoes``: NetBox's ``AbortRequest``)
  raised on a ``pre_*`` signal is re-raised: it vetoes the operation;
* any other failure is recorded (``failures``): the user who saved is warned, the module's row too.
"""
import contextvars
import functools
import time
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal
from django.utils.inspect import func_accepts_kwargs

from netbox_userscripts import exceptions
from netbox_userscripts.hooks.failures import Failure, one_line, receiver_failures
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.metrics.slowhooks import running
from netbox_userscripts.signals import SIGNAL_NAMES, VETO_SIGNALS, post_commit

_capturing = contextvars.ContextVar("userscripts_capturing", default=None)
_django_connect = Signal.connect


class GuardedReceiver:
    """Calls a userscript's receiver under the failure rules (see the module docstring)."""

    def __init__(self, func, logger, sender=None):
        self.func = func
        self.logger = logger
        self.__name__ = getattr(func, "__name__", repr(func))
        self.__qualname__ = getattr(func, "__qualname__", self.__name__)
        self.__module__ = getattr(func, "__module__", None)
        self.script = logger.name.removesuffix(".py")  # the module's logger is "NAME.py" (``log.central``)
        # The metrics' sender label: the model it was connected for, not the one saved (a bounded set).
        self.sender_label = "*" if sender is None else _name(sender)

    def __call__(self, signal, sender, **kwargs):
        started = time.perf_counter()
        run = running.enter("receiver", self.script, self.__name__, kwargs.get("instance"))
        outcome = "error"
        try:
            result, outcome = self._guarded(signal, sender, kwargs)
            return result
        except exceptions.vetoes:
            outcome = "veto"
            raise
        finally:
            running.exit(run)
            observe("receiver", self.script, self.__name__, time.perf_counter() - started, outcome,
                    signal_name(signal), self.sender_label)

    def _guarded(self, signal, sender, kwargs):
        """The receiver under the failure rules: ``(its result, "ok")``, ``(None, "error")``, or its veto raised."""
        alias = kwargs.get("using") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        savepoint = LazySavepoint(connection, alias)
        # What ``connection.execute_wrapper(savepoint)`` does, without a generator-based
        # context manager on every save: this is the engine's hot path.
        wrappers = connection.execute_wrappers
        try:
            wrappers.append(savepoint)
            try:
                result = self.func(signal=signal, sender=sender, **kwargs)
            finally:
                wrappers.pop()
        except exceptions.vetoes as exc:  # read when raised: the host adds its veto at start-up
            savepoint.close(exc)
            if signal in VETO_SIGNALS:
                self.logger.info("%s vetoed %s of %s: %s", self.__name__, signal_name(signal), _name(sender), exc)
                raise
            self._failed(signal, sender, exc)
            if signal is post_commit:
                self.logger.error("%s raised %s on post_commit, but the changes are already committed: %s",
                                  self.__name__, type(exc).__name__, exc)
            else:
                self.logger.error("%s raised %s on %s, which cannot be vetoed (only pre_* signals can): %s",
                                  self.__name__, type(exc).__name__, signal_name(signal), exc)
        except Exception as exc:
            savepoint.close(exc)
            self.logger.exception("receiver %s failed on %s of %s", self.__name__, signal_name(signal), _name(sender))
            self._failed(signal, sender, exc)
        else:
            savepoint.close()
            receiver_failures.succeeded(self.script)
            return result, "ok"
        return None, "error"

    def _failed(self, signal, sender, exc):
        receiver_failures.failed(Failure(self.script, self.__name__, signal_name(signal), _name(sender),
                                         one_line(exc)))

    def __repr__(self):
        return f"<GuardedReceiver {self.__module__}.{self.__qualname__}>"


class LazySavepoint:
    """A savepoint (or transaction) opened by the first query of a receiver, not before.

    Most receivers log and never touch the database; they pay nothing. One that queries
    gets its savepoint just before its first statement, so that on failure its writes are
    rolled back and, on PostgreSQL, a failed statement does not abort the surrounding
    transaction. Installed as an execute wrapper on the connection for the call.
    """

    __slots__ = ("connection", "alias", "atomic")

    def __init__(self, connection, alias):
        self.connection = connection
        self.alias = alias
        self.atomic = None

    def __call__(self, execute, sql, params, many, context):
        connection = self.connection
        # While an enclosing receiver's savepoint is being opened, its own SAVEPOINT or
        # BEGIN statement passes through here too: let it by, so savepoints nest in order.
        if self.atomic is None and not getattr(connection, "_userscripts_opening", False):
            connection._userscripts_opening = True
            try:
                self.atomic = transaction.atomic(using=self.alias)
                self.atomic.__enter__()
            finally:
                connection._userscripts_opening = False
        return execute(sql, params, many, context)

    def close(self, exc=None):
        """Release the savepoint, or roll it back when the receiver raised ``exc``."""
        if self.atomic is not None:
            if exc is None:
                self.atomic.__exit__(None, None, None)
            else:
                self.atomic.__exit__(type(exc), exc, exc.__traceback__)


@dataclass
class Connection:
    """One receiver a module connected: the signal, the guarded function and the sender."""

    signal: Signal
    receiver: GuardedReceiver
    sender: object
    dispatch_uid: object

    @property
    def key(self):
        """What identifies this receiver across versions of its module."""
        return (id(self.signal), id(self.sender), self.dispatch_uid or self.receiver.__qualname__)

    def describe(self):
        return {"signal": signal_name(self.signal), "sender": _name(self.sender), "receiver": self.receiver.__name__}


@dataclass
class Connections:
    """The receivers one userscript module connected while it was imported (not yet connected)."""

    logger: object
    package: str  # receivers defined in this package (the userscripts and their helpers) are captured
    items: list = field(default_factory=list)
    table: dict = field(default_factory=dict)  # Connection.key -> GuardedReceiver, read by the slots

    def owns(self, func):
        """Whether ``func`` was defined in a userscript or one of its helper packages."""
        while isinstance(func, functools.partial):
            func = func.func
        module = getattr(func, "__module__", None) or ""
        return module == self.package or module.startswith(self.package + ".")

    def add(self, signal, func, sender, dispatch_uid):
        if not callable(func):
            raise TypeError(f"Signal receivers must be callable, got {func!r}.")
        if not func_accepts_kwargs(func):
            name = getattr(func, "__name__", func)
            raise ValueError(f"Signal receiver {name} must accept keyword arguments (**kwargs).")
        connection = Connection(signal, GuardedReceiver(func, self.logger, sender), sender, dispatch_uid)
        if connection.key not in self.table:  # as Django ignores a repeated connect
            self.items.append(connection)
            self.table[connection.key] = connection.receiver

    def __enter__(self):
        self._token = _capturing.set(self)
        return self

    def __exit__(self, *exc_info):
        _capturing.reset(self._token)


def _capturing_connect(self, receiver, sender=None, weak=True, dispatch_uid=None):
    connections = _capturing.get()
    if connections is None or not connections.owns(receiver):
        return _django_connect(self, receiver, sender=sender, weak=weak, dispatch_uid=dispatch_uid)
    connections.add(self, receiver, sender, dispatch_uid)


def install_connect_capture():
    """Route ``Signal.connect`` through the capture (once per process; idempotent)."""
    Signal.connect = _capturing_connect


def signal_name(signal):
    return SIGNAL_NAMES.get(signal) or getattr(signal, "name", None) or repr(signal)


def _name(sender):
    if sender is None:
        return "any sender"
    meta = getattr(sender, "_meta", None)
    if meta is not None:
        return meta.label  # "dcim.Device"
    if isinstance(sender, type):
        return sender.__name__
    return str(sender)
