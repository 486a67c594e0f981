"""The public face of the work in progress, for any receiver: ``branch()`` and ``origin()``.

    from netbox_userscripts.context import branch, origin

``branch()`` is the branch the work is done in, ``origin()`` where replayed changes come
from; both are None on main, for an ordinary edit, in the sandbox and inside NetBox without
NetBox Labs' branching plugin (the host adapter answers them: ``hooks.context.HostBranching``).
"""

__all__ = ["branch", "origin"]

from netbox_userscripts.hooks.context import branch, origin
