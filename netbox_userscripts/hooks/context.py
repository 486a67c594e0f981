"""What the engine knows of the work in progress: the HTTP request being served, if any,
and the branch the work is done in (``branch()``, ``origin()``: see ``HostBranching``).

The request-signals middleware sets ``current_request`` around each request, so that code
far from the view (a ``post_commit`` batch opened by a save) can name the request it
belongs to. A host may have its own such variable (NetBox's ``netbox.context.current_request``,
which NetBox also sets for a script's or a background job's fake request): ``request()``
asks it when the engine's own is empty. Outside any request (a job from ``runjob``, the
shell, a worker) it is None.
"""
import contextvars

current_request = contextvars.ContextVar("userscripts_current_request", default=None)


class HostRequests:
    """The host's own current-request variables, asked in turn (registered at the host's start-up)."""

    def __init__(self):
        self.variables = []

    def add(self, variable):
        if variable not in self.variables:
            self.variables.append(variable)

    def get(self):
        for variable in self.variables:
            value = variable.get(None)
            if value is not None:
                return value
        return None


host_requests = HostRequests()


def request():
    """The request being served (the engine's middleware's, else the host's), or None."""
    value = current_request.get()
    return value if value is not None else host_requests.get()


class HostBranching:
    """The host's answers about branches: callables the host adapter sets at its start-up.

    ``branch`` answers the branch the work in progress is done in (None on main), ``origin``
    the origin of changes the host is replaying (a merge, revert or sync; None for an
    ordinary edit). A host without branches sets neither, and both answers are None: the
    sandbox, and NetBox without NetBox Labs' branching plugin. The engine itself imports
    nothing of any branching plugin.
    """

    def __init__(self):
        self.branch = None
        self.origin = None


host_branching = HostBranching()


def branch():
    """The branch the work in progress is done in, or None (on main, or the host has no branches)."""
    return host_branching.branch() if host_branching.branch is not None else None


def origin():
    """Where the changes being made come from when the host replays them, or None (an ordinary edit)."""
    return host_branching.origin() if host_branching.origin is not None else None
