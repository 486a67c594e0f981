"""A real git repository for the tests, made with dulwich: write files, commit, read the commit back."""
import textwrap
import time
from pathlib import Path

from dulwich import porcelain
from dulwich.objects import Blob, Commit, Tree
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

    def commit_tree(self, entries, message="tree by hand"):
        """Commit a tree built object by object, names unchecked (``../x``, ``/abs``, ``a\\b``), on the branch.

        ``entries`` maps a name (bytes) to a file's bytes or to a dict, a sub-tree.
        """
        store = self.repo.object_store

        def tree_of(items):
            tree = Tree()
            for name, value in items.items():
                if isinstance(value, dict):
                    tree.add(name, 0o040000, tree_of(value).id)
                else:
                    blob = Blob.from_string(value)
                    store.add_object(blob)
                    tree.add(name, 0o100644, blob.id)
            store.add_object(tree)
            return tree

        commit = Commit()
        commit.tree = tree_of(entries).id
        commit.parents = [self.repo.head()]
        commit.author = commit.committer = b"Test <t@example.org>"
        commit.author_time = commit.commit_time = int(time.time())
        commit.author_timezone = commit.commit_timezone = 0
        commit.message = message.encode()
        store.add_object(commit)
        self.repo.refs[self.repo.refs.follow(b"HEAD")[0][-1]] = commit.id
        return commit.id.decode()
