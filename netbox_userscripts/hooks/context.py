"""What the engine knows of the work in progress: the HTTP request being served, if any.

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
