"""A real git repository for the tests, made with dulwich: write files, commit, read the commit back."""
import textwrap
from pathlib import Path

from dulwich import porcelain
from dulwich.repo import Repo


class GitRepo:
    """A non-bare repository on branch ``main`` in ``path``; ``commit({...})`` writes, stages and commits."""

    def __init__(self, path, branch="main"):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.repo = Repo.init(str(self.path))
        self.repo.refs.set_symbolic_ref(b"HEAD", f"refs/heads/{branch}".encode())

    def commit(self, files, message="change", remove=()):
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text))
        for name in remove:
            (self.path / name).unlink()
        porcelain.add(str(self.path), paths=[str(self.path / n) for n in [*files, *remove]])
        sha = porcelain.commit(str(self.path), message=message.encode(), author=b"Test <t@example.org>",
                               committer=b"Test <t@example.org>")
        return sha.decode()
