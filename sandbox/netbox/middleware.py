"""Project middleware: login enforcement that answers API clients in JSON, API-Version, and a database
that is busy or away answered 503."""
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import JsonResponse
from django.shortcuts import render

from netbox.database_unavailable import RETRY_AFTER, unavailable

API_VERSION = "4.4"


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's middleware (views opt out with ``login_not_required``), except that an
    anonymous API request gets a 401 JSON answer instead of a redirect to the login page."""

    def handle_no_permission(self, request, view_func):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "Authentication credentials were not provided."},
                                status=401, headers={"WWW-Authenticate": "Token"})
        return super().handle_no_permission(request, view_func)


class APIVersionMiddleware:
    """Adds NetBox's ``API-Version`` header to API responses (pynetbox reads it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            response["API-Version"] = API_VERSION
        return response


class DatabaseUnavailableMiddleware:
    """A view that raised SQLite's "database is locked", or lost its database server, answers 503 saying which
    (``netbox.database_unavailable``): JSON under ``/api/``, a page otherwise. (DRF's views answer it themselves, in
    ``netbox.api.exceptions``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        message = unavailable(exception)
        if message is None:
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
