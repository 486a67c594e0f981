"""``data/``, private to its owner: the folder 0700, the secret key and the SQLite file 0600.

The secret key is made by the first process that starts on a fresh ``data/``, whichever it
is: the file is created with ``O_EXCL``, so of processes starting at once exactly one
writes it and the others wait until it holds the key, and all run with the same key. The
SQLite file is created empty (an empty file is an empty SQLite database) with mode 0600
before Django first opens it, so it never gets the umask's mode; SQLite gives its ``-wal``
and ``-shm`` files the database's mode. A folder or file of an earlier install that others
can read is tightened, when this user owns it.
"""
import os
import secrets
import stat
import time
from pathlib import Path

from netbox_userscripts.exceptions import ConfigurationError

KEY_WAIT = 10  # seconds to wait for the key another process has created the file for

PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def private_folder(path):
    """The folder ``path``, created 0700 if missing, tightened to 0700 if others can read it."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_FOLDER)
    return path


def private_file(path):
    """Create ``path`` empty with mode 0600 unless it exists; tighten it to 0600 if others can read it."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        _tighten(path, PRIVATE_FILE)


def secret_key(path):
    """The key in ``path``; made (50 random bytes, URL-safe) by the first process to create the file."""
    try:
        created = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE)
        return _written_key(Path(path))
    key = secrets.token_urlsafe(50)
    with os.fdopen(created, "w") as file:
        file.write(key)
    return key


def _written_key(path):
    """The key another process is writing: the file exists, maybe still empty for a moment."""
    deadline = time.monotonic() + KEY_WAIT
    while not (key := path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.02)
    if not key:
        raise ConfigurationError(f"{path} is empty: delete it, and the next start generates a new secret key "
                                 "(or set SECRET_KEY in configuration.py).")
    return key


def _tighten(path, mode):
    status = os.stat(path)
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        os.chmod(path, stat.S_IMODE(status.st_mode) & mode)
