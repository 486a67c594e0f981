"""Exceptions of the userscripts engine, importable before Django is set up.

``AbortEvent`` speaks the host's language: inside NetBox (the engine as a plugin) it is a
subclass of NetBox's ``utilities.exceptions.AbortRequest``, which NetBox's views turn into
a form error and its API into a 400; elsewhere it is a plain ``Exception``. NetBox's class
is imported only when NetBox is what is running (``conf.is_netbox``).

``vetoes`` is what a ``pre_*`` receiver may raise to veto: ``AbortEvent``, and the host's own
veto, which the host adapter adds at start-up with ``add_veto`` (the NetBox plugin adds
``AbortRequest``, which NetBox's users raise out of habit in validators and receivers). Code
that catches a veto reads ``exceptions.vetoes`` when it catches, never a copy of it.
"""
from netbox_userscripts.conf import is_netbox


def veto_base():
    """The base class of ``AbortEvent``: NetBox's ``AbortRequest`` inside NetBox, else ``Exception``."""
    if is_netbox():
        from utilities.exceptions import AbortRequest

        return AbortRequest
    return Exception


class AbortEvent(veto_base()):
    """Raised by a ``pre_*`` receiver to veto the operation that sent the signal.

    Nothing is written; the API answers 400 with the message, the admin shows it as
    an error, and code that saved or deleted the object gets this exception.
    """

    def __init__(self, message="", *args):
        Exception.__init__(self, message, *args)  # NetBox's AbortRequest.__init__ keeps no args
        self.message = str(message)

    def __str__(self):
        return self.message if len(self.args) <= 1 else super().__str__()


#: The exception classes that veto a ``pre_*`` operation (see the module docstring).
vetoes = (AbortEvent,)


def add_veto(exception_class):
    """Make ``exception_class`` (the host's own veto) veto a ``pre_*`` operation as ``AbortEvent`` does."""
    global vetoes
    if exception_class not in vetoes:
        vetoes = (*vetoes, exception_class)


class AbortScript(Exception):
    """Raised by a job to stop it: the job ends as failed with this message, no traceback."""


class ConfigurationError(Exception):
    """A setting has the wrong type or names an unusable path.

    The message is one line naming the setting and what to do about it; ``manage.py``
    prints it instead of a traceback.
    """
