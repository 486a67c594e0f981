"""Read a branch of a git repository with dulwich: fetch it into this host's cache, list its files.

NetBox's own git data sources use dulwich, a pure-Python git: no ``git`` binary is needed.
The cache is a bare repository; a fetch brings the branch's new objects only. Everything
that can go wrong with the input (an unreachable repository, a missing branch, a path
outside the repository or absent from the commit, no Python file at the path, a file whose
path would leave the folder, more files or bytes than ``USERSCRIPTS_GIT_MAX_FILES`` and
``USERSCRIPTS_GIT_MAX_BYTES``) raises ``SourceError`` with a message that names it. Sizes
come from the objects' headers (``gitobjects``): a blob over ``MAX_FILE_BYTES`` is never read.

A fetch has a deadline (``USERSCRIPTS_GIT["timeout"]``): a server that accepts and never
answers makes the fetch fail saying so, never hang the caller. The fetch runs on a thread of
its own that the caller waits for until the deadline; HTTP(S) reads time out by themselves
too (urllib3's timeout), so that thread ends soon after; over git:// or ssh a silent
server may keep it waiting in the background, harmless: it holds no lock.
"""
import posixpath
import threading
from dataclasses import dataclass
from pathlib import Path

from dulwich.client import HTTPProxyUnauthorized, HTTPUnauthorized, default_urllib3_manager, get_transport_and_path
from dulwich.errors import GitProtocolError, HangupException, NotGitRepository
from dulwich.object_store import iter_tree_contents
from dulwich.repo import Repo
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.util import Retry

from netbox_userscripts.conf import setting
from netbox_userscripts.fleet.gitobjects import object_size

# What an unreachable or wrong repository raises (anything else is a bug, raised as it is)
FETCH_FAILURES = (NotGitRepository, HangupException, GitProtocolError, OSError, ValueError, Urllib3Error)

MAX_FILE_BYTES = 2 * 1024 * 1024  # a userscript folder holds code and small data files


class SourceError(Exception):
    """The repository, branch or path given cannot give userscripts; the message says why."""


@dataclass
class Snapshot:
    """One commit's files under the configured path: ``{relative path: text}``."""

    commit: str
    files: dict
    skipped: list  # files left out: binary or too large


def clean_path(path):
    """The sub-folder as a relative POSIX path ('' for the top); raises for one outside the repository."""
    given = (path or "").strip()
    path = given.rstrip("/")
    if not path:
        return ""
    normal = posixpath.normpath(path)
    if path.startswith("/") or normal == ".." or normal.startswith("../") or "\\" in path:
        raise SourceError(f"USERSCRIPTS_GIT path {given!r} is outside the repository: give a folder inside it.")
    return "" if normal == "." else normal


def fetch(url, branch, cache_dir, credentials=None, timeout=None):
    """Fetch ``branch`` of ``url`` into the bare repository ``cache_dir``; return its commit (hex).

    ``credentials``: dulwich's own keyword arguments (``username``, ``password``, ``key_filename``),
    so that ``url``, which messages name, never needs to hold a password. With ``timeout``
    (seconds), a fetch not done by then raises ``SourceError`` saying so.
    """
    cache_dir = Path(cache_dir)
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    ref, outcome = f"refs/heads/{branch}".encode(), {}
    worker = threading.Thread(target=_fetch_refs, args=(url, credentials, ref, cache_dir, timeout, outcome),
                              daemon=True, name="userscripts-git-fetch")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise SourceError(f"cannot fetch {url}: no answer within {timeout:g} s (USERSCRIPTS_GIT timeout)")
    exc = outcome.get("error")
    if isinstance(exc, (HTTPUnauthorized, HTTPProxyUnauthorized)):
        raise SourceError(f"cannot fetch {url}: {exc} (check USERSCRIPTS_GIT username and password)") from exc
    if exc is not None and not isinstance(exc, FETCH_FAILURES):
        raise exc
    if exc is not None:
        raise SourceError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc or 'no answer'}") from exc
    commit = outcome["refs"].get(ref)
    if commit is None:
        known = sorted(r.decode()[len("refs/heads/"):] for r in outcome["refs"] if r.startswith(b"refs/heads/"))
        raise SourceError(f"{url} has no branch {branch!r} (branches: {', '.join(known) or 'none'}).")
    return commit.decode()


def _fetch_refs(url, credentials, ref, cache_dir, timeout, outcome):
    """The fetch of ``ref`` itself, on the fetch thread: ``outcome["refs"]`` the remote's refs, or its error."""
    try:
        repo = Repo(str(cache_dir)) if (cache_dir / "objects").is_dir() else Repo.init_bare(str(cache_dir), mkdir=True)
    except Exception as exc:
        outcome["error"] = exc
        return
    try:
        client, remote_path = get_transport_and_path(url, **(credentials or {}), **_transport_options(url, timeout))
        wants = lambda refs, depth=None: _wants(refs, ref, repo)  # noqa: E731
        outcome["refs"] = client.fetch(remote_path, repo, determine_wants=wants).refs
    except Exception as exc:  # handed to the caller's thread, which says it or raises it
        outcome["error"] = exc
    finally:
        repo.close()


def _transport_options(url, timeout):
    """For HTTP(S): urllib3 reads that time out by themselves, tried once, so the fetch thread ends soon after
    the deadline (urllib3 would try a silent server three more times)."""
    if not url.startswith(("http://", "https://")):
        return {}
    pool = default_urllib3_manager(None, timeout=timeout)
    pool.connection_pool_kw["retries"] = Retry(connect=0, read=0, redirect=5)  # redirects still followed
    return {"pool_manager": pool}


def _wants(refs, ref, repo):
    sha = refs.get(ref)
    return [sha] if sha is not None and sha not in repo.object_store else []


def snapshot(cache_dir, commit, path=""):
    """The files of ``commit`` under ``path`` in the cache; raises when there is no userscript there."""
    path = clean_path(path)
    repo = Repo(str(cache_dir))
    where = f"folder {path!r} of commit {commit[:12]}" if path else f"commit {commit[:12]}"
    try:
        tree = repo[commit.encode()].tree
        prefix = f"{path}/".encode() if path else b""
        entries = [(entry.path[len(prefix):].decode("utf-8", "replace"), entry.sha)
                   for entry in iter_tree_contents(repo.object_store, tree)
                   if entry.path.startswith(prefix) and (entry.mode & 0o170000) == 0o100000]  # no symlink, submodule
        sizes = {sha: object_size(repo.object_store, sha) for _, sha in entries}  # headers only: nothing read yet
        check_version(where, [(relative, sizes[sha]) for relative, sha in entries])
        blobs = [(relative, repo[sha].data if sizes[sha] <= MAX_FILE_BYTES else None) for relative, sha in entries]
    finally:
        repo.close()
    return files_snapshot(commit, blobs, where, "USERSCRIPTS_GIT path")


def check_version(where, sizes):
    """Refuse a version with a path that leaves the folder, or more files or bytes than the settings allow.

    ``sizes`` is ``[(relative path, size in bytes)]``.
    """
    for relative, _ in sizes:
        parts = relative.split("/")
        if relative.startswith("/") or "\\" in relative or "\0" in relative or any(p in ("", ".", "..") for p in parts):
            raise SourceError(f"{where} has a file named {relative!r}, which would be written outside "
                              "USERSCRIPTS_ROOT: a version's paths must be relative, without '..' or '\\'.")
    most_files, most_bytes = cap("USERSCRIPTS_GIT_MAX_FILES"), cap("USERSCRIPTS_GIT_MAX_BYTES")
    if len(sizes) > most_files:
        raise SourceError(f"{where} has {len(sizes):,} files; a version may have {most_files:,} "
                          "(USERSCRIPTS_GIT_MAX_FILES).")
    total = sum(size for _, size in sizes)
    if total > most_bytes:
        raise SourceError(f"{where} holds {total:,} bytes; a version may hold {most_bytes:,} "
                          "(USERSCRIPTS_GIT_MAX_BYTES).")


def cap(name):
    """The positive whole number the setting ``name`` gives; ``SourceError`` naming it otherwise."""
    value = setting(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SourceError(f"{name} must be a positive whole number, got {value!r}.")
    return value


def files_snapshot(version, blobs, where, setting):
    """A ``Snapshot`` of ``(relative path, bytes or None)`` pairs: text files kept, binary or too large (None)
    ones skipped.

    Raises when a path leaves the folder, the version is over the caps, nothing is there, or no flat
    Python module (``setting`` names what to check).
    """
    # a git version was checked from its headers, its unread blobs (None) counted there
    check_version(where, [(relative, len(data)) for relative, data in blobs if data is not None])
    files, skipped = {}, []
    for relative, data in blobs:
        try:
            if data is None or len(data) > MAX_FILE_BYTES:
                raise UnicodeDecodeError("utf-8", b"", 0, 1, "too large")
            files[relative] = data.decode("utf-8")
        except UnicodeDecodeError:
            skipped.append(relative)
    if not files and not skipped:
        raise SourceError(f"{where} does not exist or is empty ({setting}).")
    if not any("/" not in name and name.endswith(".py") for name in files):
        raise SourceError(f"{where} has no Python file: userscripts are flat NAME.py modules at that path.")
    return Snapshot(commit=version, files=files, skipped=sorted(skipped))
