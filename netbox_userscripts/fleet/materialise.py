"""Put one version's files into a folder: each file written whole (a rename), the old version's extras removed.

The folder is this host's ``USERSCRIPTS_ROOT``, shared by every process of the host, so a
file lock makes one process write while the others wait, and a marker file says which
version the folder holds and which files the engine wrote (files it did not write are
left alone). The folder's hash is the version of a plain folder in the process table.
"""
import contextlib
import fcntl
import hashlib
import json
import os
from pathlib import Path

MARKER = ".userscripts-version.json"
LOCK = ".userscripts-version.lock"


def write_files(root, files):
    """Write ``{relative path: text}`` under ``root``, each file replaced in one rename.

    A path that would leave ``root`` (``..``, absolute, through a symlink) raises ``ValueError`` before any
    file is written: a sync refuses such a version, this guards a version recorded before it did.
    """
    root = Path(root)
    inside = root.resolve()
    for name in files:
        if not (root / name).resolve().is_relative_to(inside) or "\\" in name:
            raise ValueError(f"the version's file {name!r} would be written outside {root}: nothing written.")
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == text:
            continue  # unchanged: no event for the watcher, no reload
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)


def held(root):
    """``(commit, [files])`` the folder holds, per its marker; ``("", [])`` when the engine never wrote it."""
    try:
        data = json.loads((Path(root) / MARKER).read_text())
        return data.get("commit", ""), list(data.get("files", []))
    except (OSError, ValueError):
        return "", []


@contextlib.contextmanager
def locked(root):
    """One process of this host at a time changes the folder."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def materialise(root, commit, files):
    """Make ``root`` hold ``commit``'s ``files``; return True when a file changed."""
    root = Path(root)
    with locked(root):
        current, written = held(root)
        if current == commit:
            return False
        write_files(root, files)
        for name in set(written) - set(files):
            with contextlib.suppress(FileNotFoundError):
                (root / name).unlink()
        marker = root / f".{MARKER}.tmp-{os.getpid()}"
        marker.write_text(json.dumps({"commit": commit, "files": sorted(files)}))
        os.replace(marker, root / MARKER)
        return True


def folder_hash(root):
    """A short hash of the folder's Python files (names and contents): the version of a plain folder."""
    root = Path(root)
    digest = hashlib.sha1()
    if root.is_dir():
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
                continue
            digest.update(str(relative).encode() + b"\0")
            with contextlib.suppress(OSError):
                digest.update(path.read_bytes())
            digest.update(b"\0")
    return "folder:" + digest.hexdigest()[:12]
