"""Exceptions of the userscripts engine, importable before Django is set up."""


class AbortEvent(Exception):
    """Raised by a ``pre_*`` receiver to veto the operation that sent the signal.

    Nothing is written; the API answers 400 with the message, the admin shows it as
    an error, and code that saved or deleted the object gets this exception.
    """


class AbortScript(Exception):
    """Raised by a job to stop it: the job ends as failed with this message, no traceback."""


class ConfigurationError(Exception):
    """A setting has the wrong type or names an unusable path.

    The message is one line naming the setting and what to do about it; ``manage.py``
    prints it instead of a traceback.
    """
