"""The plugin's middleware: request signals, ``/userscript/`` at NetBox's root, a watcher per worker.

NetBox owns the root URLconf; this middleware points each request at ``root_urls``, which
is NetBox's URL map with ``/userscript/`` in front (Django's per-request ``urlconf``), so
NetBox's own paths, reversing and error pages are unchanged.

Each process that serves requests builds the middleware once when it loads the WSGI
application: each gunicorn worker and runserver's serving process. That is where the
userscripts folder is watched (``USERSCRIPTS_AUTORELOAD``); management commands and
``rqworker`` serve no requests and watch nothing.
"""
from netbox_userscripts.conf import setting
from netbox_userscripts.loading import reloader
from netbox_userscripts.middleware import RequestSignalsMiddleware
from netbox_userscripts.netbox_plugin import checks
from netbox_userscripts.netbox_plugin.permissions import VIEW as VIEW_PERMISSION
from utilities.api import is_api_request

ROOT_URLCONF = "netbox_userscripts.netbox_plugin.root_urls"


class UserscriptsMiddleware(RequestSignalsMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        if setting("USERSCRIPTS_AUTORELOAD") and not checks.problems.found:  # off with bad settings
            reloader.start()

    def __call__(self, request):
        request.urlconf = ROOT_URLCONF
        return super().__call__(request)

    def shows_failures_to(self, request):
        """NetBox's users have no ``is_staff``: who may see the userscripts page is told, on NetBox's pages."""
        return request.user.has_perm(VIEW_PERMISSION) and not is_api_request(request)
