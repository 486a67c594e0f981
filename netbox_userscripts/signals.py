"""The signals userscripts hook into.

Django's model signals are re-exported unchanged; the bulk-edit and request signals are
new. Those are created with ``use_caching=True``: most userscripts connect with a sender,
and caching the receiver lookup per sender keeps a send cheap however many are loaded.

=================  ===============================================================
signal             arguments besides ``sender``
=================  ===============================================================
pre_save           Django's: ``instance``, ``raw``, ``using``, ``update_fields``
post_save          Django's: ``instance``, ``created``, ``raw``, ``using``, ``update_fields``
pre_delete         Django's: ``instance``, ``origin``, ``using``
post_delete        Django's: ``instance``, ``origin``, ``using``
pre_bulk_edit      ``pk_list``, ``changes``, ``request`` (or None); sender is the model
post_bulk_edit     the same, after the one UPDATE
pre_request        ``request``; sender is the request-signals middleware class
post_request       ``request``, ``response``
post_commit        ``changes``, ``request`` (or None), ``using``, ``branch`` and ``origin``
                   (None but in NetBox with branching); after the commit, once
                   per model touched (see ``commits``)
=================  ===============================================================

``post_commit`` tells who listens: the engine records changes only for the models that
have a ``post_commit`` receiver (``commits.tracking``), so a save of any other model costs
what it cost before the signal existed.
"""

__all__ = [
    "pre_save", "post_save", "pre_delete", "post_delete",
    "pre_bulk_edit", "post_bulk_edit", "pre_request", "post_request", "post_commit",
]

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

pre_bulk_edit = Signal(use_caching=True)
post_bulk_edit = Signal(use_caching=True)
pre_request = Signal(use_caching=True)
post_request = Signal(use_caching=True)


class CommitSignal(Signal):
    """A signal that tells its watchers which senders have receivers, whenever that may change.

    Django keeps only ``id(sender)`` per receiver; the senders themselves are remembered
    here as they are connected. Code that connects with the plain ``Signal.connect`` (the
    receiver slots do, to pass the userscripts' capture) calls ``receivers_changed`` itself.
    """

    def __init__(self, use_caching=False):
        super().__init__(use_caching=use_caching)
        self.watchers = []
        self._senders = {}  # id(sender) -> sender, for every sender ever connected and still live

    def connect(self, receiver, sender=None, weak=True, dispatch_uid=None):
        super().connect(receiver, sender=sender, weak=weak, dispatch_uid=dispatch_uid)
        self.receivers_changed(sender)

    def disconnect(self, receiver=None, sender=None, dispatch_uid=None):
        disconnected = super().disconnect(receiver, sender=sender, dispatch_uid=dispatch_uid)
        self.receivers_changed(sender)
        return disconnected

    def receivers_changed(self, sender):
        with self.lock:
            self._senders.setdefault(id(sender), sender)
        for watcher in self.watchers:
            watcher(self)

    def live_senders(self):
        """The senders that have at least one receiver now (``None`` for "any sender")."""
        with self.lock:
            self._clear_dead_receivers()
            live = {key[1] for key, *_ in self.receivers}
            for sender_id in [i for i in self._senders if i not in live]:
                del self._senders[sender_id]
            return list(self._senders.values())


post_commit = CommitSignal(use_caching=True)

#: Signals whose receivers may veto the operation by raising ``AbortEvent``.
VETO_SIGNALS = (pre_save, pre_delete, pre_bulk_edit, pre_request)

SIGNAL_NAMES = {
    pre_save: "pre_save",
    post_save: "post_save",
    pre_delete: "pre_delete",
    post_delete: "post_delete",
    pre_bulk_edit: "pre_bulk_edit",
    post_bulk_edit: "post_bulk_edit",
    pre_request: "pre_request",
    post_request: "post_request",
    post_commit: "post_commit",
}
