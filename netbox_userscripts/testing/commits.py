"""What a commit would run, run inside a test: the ``post_commit`` sends of a block's writes, captured.

pytest-django's ``db`` runs each test in a transaction that is rolled back, so Django never
runs its commit hooks: ``post_commit`` would never be sent, nor a task handed over at the
commit. ``CommitHooks`` runs them at the end of a block, as Django's
``TestCase.captureOnCommitCallbacks(execute=True)`` does, and records each send::

    with commit_hooks() as sent:
        device.save()
    assert sent.changes(Device)[0].changed == {"primary_ip4"}

Only the block's own writes are sent: changes made before it in the same test (its set-up)
stay in a batch that is never committed, as they would be in a transaction of their own. A
block that raises is a transaction rolled back: nothing is sent (where Django's
``captureOnCommitCallbacks`` would run the hooks all the same).
"""
import contextlib
import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from netbox_userscripts.commits.batch import start_new_batch
from netbox_userscripts.signals import post_commit

logger = logging.getLogger("django.db.backends.base")  # where Django logs a robust on_commit hook's failure


@dataclass
class Sent:
    """One ``post_commit`` send: the model, its changes (``action``, ``before``, ``after``, ``changed``)."""

    model: type
    changes: list


class SentCommits(list):
    """The sends of a block, in order: ``Sent`` items."""

    def changes(self, model):
        """Every change of ``model`` sent, across the block's sends."""
        return [change for sent in self if sent.model is model for change in sent.changes]


@contextlib.contextmanager
def commit_hooks(using=DEFAULT_DB_ALIAS):
    """Run the commit hooks of the block's writes at its end; yield the ``SentCommits`` filled then.

    The senders watched are those with a ``post_commit`` receiver when the block starts (the
    loaded userscripts'), so the engine records exactly what it would record in production.
    """
    sent = SentCommits()

    def capture(sender, changes, **kwargs):
        sent.append(Sent(sender, list(changes)))

    senders = post_commit.live_senders()
    for sender in senders:
        post_commit.connect(capture, sender=sender, weak=False)
    start_new_batch(using)
    try:
        start = len(connections[using].run_on_commit)
        yield sent
        run_hooks_from(using, start)
    finally:
        for sender in senders:
            post_commit.disconnect(capture, sender=sender)


def run_hooks_from(using, start):
    """Run the commit hooks registered since ``start``, and those they register, as a commit runs them."""
    hooks = connections[using].run_on_commit
    while start < len(hooks):
        end = len(hooks)
        for _, hook, robust in hooks[start:end]:
            if not robust:
                hook()
                continue
            try:
                hook()
            except Exception:  # as Django's commit: a robust hook's failure is logged, the others run
                logger.exception("Error calling %s in on_commit() (%s)", getattr(hook, "__qualname__", hook), hook)
        start = end
