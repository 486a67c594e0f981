"""``USERSCRIPTS_GIT``, checked: repository, branch, sub-folder, interval, timeout, credentials; or one clear error.

Credentials come from the setting's own keys: ``username`` with ``password`` or
``password_file`` (a file holding the password or token, read at start-up), and for SSH
``key_filename`` (otherwise dulwich's SSH reads the usual ``~/.ssh`` keys and config). A
``user:password@`` in the URL still works, but the password never leaves this module: the
URL is kept and shown as ``user:***@`` (``redact``) in the log, the stream, the API, the
database and the pages, and dulwich is given the URL without it plus the credentials.

Also where this host keeps its dulwich cache and what it last materialised, both inside
``USERSCRIPTS_ROOT`` (the checkout the engine manages) under a hidden folder the loader
and the watcher skip.
"""
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlsplit, urlunsplit

from netbox_userscripts.conf import setting, userscripts_root
from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.gitsource import SourceError, clean_path

CACHE_FOLDER = ".userscripts-cache"
KEYS = {"url", "branch", "path", "interval", "timeout", "username", "password", "password_file", "key_filename"}
DEFAULT_TIMEOUT = 30.0  # seconds a fetch may take before it fails (the next sync tries again)
MAX_TIMEOUT = 3600.0
HIDDEN = "***"


def redact(url):
    """``url`` with the password of its ``user:password@`` shown as ``***``; any other text unchanged."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:  # not a URL (a bad port, a stray bracket): nothing to parse a password out of
        return url
    if password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{userinfo.partition(':')[0]}:{HIDDEN}@{host}"))


def _without_userinfo(url):
    """``url`` without its ``user:password@`` part, and that user and password (unquoted, or None)."""
    try:
        parts = urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:
        return url, None, None
    if username is None:
        return url, None, None
    remote = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return remote, unquote(username), None if password is None else unquote(password)


@dataclass(frozen=True)
class Credentials:
    """What dulwich is given to log in; the password is left out of ``repr`` so no message shows it."""

    username: str = None
    password: str = field(default=None, repr=False)
    key_filename: str = None

    def as_dulwich(self):
        """Keyword arguments of ``dulwich.client.get_transport_and_path``."""
        return {name: value for name, value in (("username", self.username), ("password", self.password),
                                                ("key_filename", self.key_filename)) if value is not None}


@dataclass(frozen=True)
class GitSource:
    url: str  # as shown everywhere: a password in it as ***
    branch: str = "main"
    path: str = ""
    interval: float = None
    timeout: float = DEFAULT_TIMEOUT
    remote: str = ""  # what dulwich fetches: the URL without user and password
    credentials: Credentials = field(default_factory=Credentials, compare=False)
    kind: ClassVar[str] = "git"  # its row in SyncedVersion

    def describe(self):
        return {"url": self.url, "branch": self.branch, "path": self.path}

    def __str__(self):
        return f"{self.url} {self.branch}"

    @property
    def cache(self):
        return userscripts_root() / CACHE_FOLDER

    @property
    def repository(self):
        return self.cache / "repo.git"


def git_source(value=None):
    """The checked ``USERSCRIPTS_GIT``, or None for a plain folder (the default)."""
    value = setting("USERSCRIPTS_GIT") if value is None else value
    if not value:
        return None
    if not isinstance(value, dict):
        raise ConfigurationError(f"USERSCRIPTS_GIT must be a dict like {{'url': ..., 'branch': 'main'}}, "
                                 f"got {type(value).__name__}.")
    unknown = set(value) - KEYS
    if unknown:
        raise ConfigurationError(f"USERSCRIPTS_GIT has unknown keys {sorted(unknown)} (known: {sorted(KEYS)}).")
    url, branch = value.get("url"), value.get("branch") or "main"
    if not isinstance(url, (str, Path)) or not str(url).strip():
        raise ConfigurationError("USERSCRIPTS_GIT needs 'url': a repository URL or a local path.")
    if not isinstance(branch, str):
        raise ConfigurationError(f"USERSCRIPTS_GIT branch must be a string, got {branch!r}.")
    interval = value.get("interval")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, (int, float))
                                 or interval <= 0):
        raise ConfigurationError(f"USERSCRIPTS_GIT interval must be a number of seconds > 0, got {interval!r}.")
    timeout = value.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise ConfigurationError(f"USERSCRIPTS_GIT timeout must be a number of seconds > 0 and <= {MAX_TIMEOUT:g}, "
                                 f"got {timeout!r}.")
    try:
        path = clean_path(value.get("path") or "")
    except SourceError as exc:
        raise ConfigurationError(str(exc)) from None
    url = str(url)
    remote, url_username, url_password = _without_userinfo(url)
    credentials = _credentials(value, url_username, url_password)
    if credentials.password is not None and urlsplit(remote).scheme not in ("http", "https"):
        # dulwich's SSH runs the ssh client, which takes no password: it would fail at the first sync
        raise ConfigurationError("USERSCRIPTS_GIT password is for an http(s):// URL; over SSH the ssh client's keys "
                                 "log in (~/.ssh, or 'key_filename').")
    return GitSource(url=redact(url), branch=branch, path=path, interval=interval, timeout=float(timeout),
                     remote=remote, credentials=credentials)


def _credentials(value, url_username, url_password):
    """The login from the setting's keys, falling back on the URL's ``user:password@``."""
    for key in ("username", "password", "password_file", "key_filename"):
        if value.get(key) is not None and not isinstance(value[key], (str, Path)):
            raise ConfigurationError(f"USERSCRIPTS_GIT {key} must be a string, got {type(value[key]).__name__}.")
    if value.get("password") is not None and value.get("password_file") is not None:
        raise ConfigurationError("USERSCRIPTS_GIT has both 'password' and 'password_file': give one of them.")
    password = value.get("password")
    if value.get("password_file") is not None:
        password = _read_secret(Path(value["password_file"]).expanduser(), "password_file")
    key_filename = value.get("key_filename")
    if key_filename is not None:
        key_filename = Path(key_filename).expanduser()
        _read_secret(key_filename, "key_filename")
    return Credentials(username=value.get("username") or url_username,
                       password=password if password is not None else url_password,
                       key_filename=None if key_filename is None else str(key_filename))


def _read_secret(path, key):
    try:
        text = path.read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc.__class__.__name__
        raise ConfigurationError(f"USERSCRIPTS_GIT {key} {str(path)!r} cannot be read ({why}).") from None
    if not text:
        raise ConfigurationError(f"USERSCRIPTS_GIT {key} {str(path)!r} is empty.")
    return text
