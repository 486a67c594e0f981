"""Sends ``pre_request`` and ``post_request`` for every HTTP request; warns of a receiver that failed in it."""
from django.contrib import messages
from django.http import HttpResponse

from netbox_userscripts import exceptions
from netbox_userscripts.hooks.context import current_request
from netbox_userscripts.hooks.failures import failed_in, warning_for
from netbox_userscripts.signals import post_request, pre_request


class RequestSignalsMiddleware:
    """``pre_request(request)`` before the view, ``post_request(request, response)`` after.

    A ``pre_request`` receiver that raises ``AbortEvent`` (or the host's veto) refuses the request: 403 with
    its message as the body. Receivers are looked up only when some are connected, so an
    idle signal costs one attribute check per request. The request is also the
    ``context.current_request`` while it is served (``post_commit`` names it).

    A userscript receiver that raised while the request was served (the save went on, as the
    contract says) is told to the user who made it, as a Django warning message on the next
    page, when ``shows_failures_to`` says that user may know of userscripts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request.set(request)
        try:
            if pre_request.receivers:
                try:
                    pre_request.send(sender=RequestSignalsMiddleware, request=request)
                except exceptions.vetoes as exc:
                    return HttpResponse(f"Request refused: {exc}\n", status=403,
                                        content_type="text/plain; charset=utf-8")
            response = self.get_response(request)
            if post_request.receivers:
                post_request.send(sender=RequestSignalsMiddleware, request=request, response=response)
            failures = failed_in(request)
            if failures and self.shows_failures_to(request):
                messages.warning(request, warning_for(failures), fail_silently=True)  # no messages app: no warning
            return response
        finally:
            current_request.reset(token)

    def shows_failures_to(self, request):
        """A page request (not the API, whose answer is the client's) of a staff user; a host may widen it."""
        user = getattr(request, "user", None)
        return bool(getattr(user, "is_staff", False)) and not request.path_info.startswith("/api/")
