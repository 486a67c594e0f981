"""``GET /userscript/?script=NAME&...``: calls ``NAME.call(**query)``.

Every query parameter is a keyword argument: one value as the string, a repeated key as
the list of strings (``script`` included). The result is sent as ``text/plain`` after
``str()``; a returned ``HttpResponse`` passes through. Unknown, failed or call-less
scripts are a 404 with an empty body; an exception in ``call`` is a 500 whose one-line
body names the exception, the traceback going to the script's log.
"""
import inspect

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from netbox_userscripts import log
from netbox_userscripts.auth import Refused, authorize
from netbox_userscripts.registry import registry

TEXT = "text/plain; charset=utf-8"


@login_not_required  # authenticates itself: a token client gets 401, not a login redirect
@require_GET
def call_userscript(request):
    try:
        authorize(request, "netbox_userscripts.call_userscript")
    except Refused as exc:
        response = HttpResponse(f"{exc}\n", status=exc.status, content_type=TEXT)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Token"
        return response
    names = request.GET.getlist("script")
    call = registry.callable(names[0]) if len(names) == 1 else None
    if call is None:
        return HttpResponse(status=404, content_type=TEXT)
    name = names[0]
    kwargs = {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}
    try:
        inspect.signature(call).bind(**kwargs)
    except TypeError as exc:
        return HttpResponse(f"Bad arguments for userscript {name}: {exc}\n", status=400, content_type=TEXT)
    except ValueError:
        pass  # no signature to check (a builtin): let the call decide
    try:
        result = call(**kwargs)
    except Exception as exc:
        log.logger_for(name).exception("call() failed for %s", request.get_full_path())
        return HttpResponse(f"Error in userscript {name}: {exc.__class__.__name__}\n", status=500, content_type=TEXT)
    if isinstance(result, HttpResponseBase):
        return result
    return HttpResponse(str(result), content_type=TEXT)
