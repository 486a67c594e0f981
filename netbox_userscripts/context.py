"""What the engine knows of the work in progress: the HTTP request being served, if any.

The request-signals middleware sets ``current_request`` around each request, so that code
far from the view (a ``post_commit`` batch opened by a save) can name the request it
belongs to. Outside a request (a job from ``runjob``, the shell, a worker) it is None.
"""
import contextvars

current_request = contextvars.ContextVar("userscripts_current_request", default=None)
