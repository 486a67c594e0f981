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
=================  ===============================================================
"""

__all__ = [
    "pre_save", "post_save", "pre_delete", "post_delete",
    "pre_bulk_edit", "post_bulk_edit", "pre_request", "post_request",
]

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

pre_bulk_edit = Signal(use_caching=True)
post_bulk_edit = Signal(use_caching=True)
pre_request = Signal(use_caching=True)
post_request = Signal(use_caching=True)

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
}
