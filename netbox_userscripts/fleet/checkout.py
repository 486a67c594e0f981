"""One commit of a git repository written into a folder, for ``userscripts_check --git``.

The repository is a local one (a path: read in place, ``REF`` a branch, a tag, a commit or
``HEAD``) or a URL (its branch ``REF`` fetched into a throw-away cache first). The files are
read and checked as a sync reads them (``gitsource.snapshot``: paths, sizes, caps) and
written with ``materialise.write_files``. Everything wrong with the input raises ``SourceError``.
"""
import tempfile
from pathlib import Path

from dulwich.errors import NotGitRepository
from dulwich.repo import Repo

from netbox_userscripts.fleet.gitsource import SourceError, fetch, snapshot
from netbox_userscripts.fleet.materialise import write_files


def checkout(repository, ref, into, path=""):
    """Write the files of ``ref`` of ``repository`` (under its sub-folder ``path``) into ``into``; the commit."""
    local = Path(repository)
    if local.is_dir():
        commit = resolve(local, ref)
        shot = snapshot(local, commit, path)
    else:
        with tempfile.TemporaryDirectory(prefix="userscripts-fetch-") as cache:
            commit = fetch(repository, ref, Path(cache) / "repo", timeout=60)
            shot = snapshot(Path(cache) / "repo", commit, path)
    write_files(into, shot.files)
    return commit


def resolve(local, ref):
    """The commit (hex) that ``ref`` names in the local repository ``local``."""
    try:
        repo = Repo(str(local))
    except NotGitRepository:
        raise SourceError(f"{local} is not a git repository.") from None
    try:
        for name in (f"refs/heads/{ref}", f"refs/tags/{ref}", f"refs/remotes/{ref}", ref):
            try:
                found = repo[name.encode()]
            except (KeyError, ValueError):
                continue
            while found.type_name == b"tag":  # an annotated tag: the commit it points at
                found = repo[found.object[1]]
            if found.type_name == b"commit":
                return found.id.decode()
        raise SourceError(f"{local} has no branch, tag or commit {ref!r}.")
    finally:
        repo.close()
