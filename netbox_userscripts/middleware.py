"""Sends ``pre_request`` and ``post_request`` for every HTTP request."""
from django.http import HttpResponse

from netbox_userscripts import exceptions
from netbox_userscripts.hooks.context import current_request
from netbox_userscripts.signals import post_request, pre_request


class RequestSignalsMiddleware:
    """``pre_request(request)`` before the view, ``post_request(request, response)`` after.

    A ``pre_request`` receiver that raises ``AbortEvent`` (or the host's veto) refuses the request: 403 with
    its message as the body. Receivers are looked up only when some are connected, so an
    idle signal costs one attribute check per request. The request is also the
    ``context.current_request`` while it is served (``post_commit`` names it).
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
            return response
        finally:
            current_request.reset(token)
