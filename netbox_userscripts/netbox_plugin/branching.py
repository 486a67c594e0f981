"""What ``branch()`` and ``origin()`` answer inside NetBox with NetBox Labs' branching plugin.

``install()`` (from ``startup``, only when ``netbox_branching`` is in ``PLUGINS``) sets the
engine's ``hooks.context.host_branching``:

* ``branch()``: the branch the work is done in, from branching's ``active_branch`` context
  variable (set for a request with ``X-NetBox-Branch``, and by a sync); None on main.
* ``origin()``: while branching replays changes (a merge, a revert, a sync), what replays
  them and from which branch; None for an ordinary edit. Set by branching's ``pre_merge``,
  ``pre_revert`` and ``pre_sync`` signals, cleared by their ``post_`` signals and, since
  those are not sent for a dry run, a failed merge or a branch with nothing to replay, also
  when a NetBox job starts or ends (branching replays inside its jobs): nothing is left for
  the next job of the same worker.

Both are snapshots (``Branch``, ``Origin``), not branching's model: a receiver reads their
fields after the transaction, without a query. The engine itself imports nothing of branching.
"""
import contextvars
from dataclasses import dataclass

from netbox_userscripts.hooks import context


@dataclass(frozen=True)
class Branch:
    """A branch as receivers see it: its name, its ``schema_id`` (``X-NetBox-Branch``) and its pk."""

    name: str
    schema_id: str
    pk: int


@dataclass(frozen=True)
class Origin:
    """What is replaying changes: ``kind`` ``"merge"``, ``"revert"`` or ``"sync"``, and the ``branch`` replayed."""

    kind: str
    branch: Branch


# Set by a pre_ signal, cleared by the post_ one or by a job's start or end (whichever comes first).
replaying = contextvars.ContextVar("userscripts_branching_origin", default=None)


def describe(branch):
    return Branch(name=branch.name, schema_id=branch.schema_id, pk=branch.pk)


def install():
    """Answer ``branch()`` and ``origin()`` from branching's context variable and signals."""
    from core.signals import job_end, job_start
    from netbox_branching import signals
    from netbox_branching.contextvars import active_branch

    def current_branch():
        active = active_branch.get()
        return describe(active) if active is not None else None

    context.host_branching.branch = current_branch
    context.host_branching.origin = replaying.get
    for kind in ("merge", "revert", "sync"):
        getattr(signals, f"pre_{kind}").connect(_starts(kind), weak=False, dispatch_uid=f"userscripts_pre_{kind}")
        getattr(signals, f"post_{kind}").connect(_ended, dispatch_uid=f"userscripts_post_{kind}")
    job_start.connect(_ended, dispatch_uid="userscripts_branching_job_start")
    job_end.connect(_ended, dispatch_uid="userscripts_branching_job_end")


def _starts(kind):
    def started(sender, branch, **kwargs):
        replaying.set(Origin(kind=kind, branch=describe(branch)))
    return started


def _ended(sender, **kwargs):
    replaying.set(None)
