"""Committed changes: what a transaction changed, sent as ``post_commit`` after it commits.

``batch`` (a transaction's changes held by Django's commit hooks, a segment per savepoint,
coalesced per object), ``tracking`` (the receivers that record saves and deletes of the models
that have a ``post_commit`` receiver), ``bulk`` (``bulk_edit``: validate, one UPDATE between
``pre_bulk_edit`` and ``post_bulk_edit``, its updates recorded), ``driversql`` (the per-save
statements on the driver's cursor: the row read before a save, a task's INSERT).
"""
