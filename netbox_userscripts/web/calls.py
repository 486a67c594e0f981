"""``GET /userscript/?script=NAME&...``: calls ``NAME.call(**query)``.

Every query parameter is a keyword argument: one value as the string, a repeated key as
the list of strings (``script`` included). The result is sent as ``text/plain`` after
``str()``; a returned ``HttpResponse`` passes through. Unknown, failed or call-less
scripts are a 404 with an empty body; an exception in ``call`` is a 500 whose one-line
body names the exception, the traceback going to the script's log.
"""
import inspect
import weakref

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.http import require_GET

from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log
from netbox_userscripts.web.auth import Refused, authorize

TEXT = "text/plain; charset=utf-8"


@login_not_required  # authenticates itself: a token client gets 401, not a login redirect
@require_GET
def call_userscript(request):
    names = request.GET.getlist("script")
    try:
        authorize(request, "netbox_userscripts.call_userscript", module=names[0] if len(names) == 1 else None)
    except Refused as exc:
        response = HttpResponse(f"{exc}\n", status=exc.status, content_type=TEXT)
        if exc.status == 401:
            response["WWW-Authenticate"] = "Token"
        return response
    call = registry.callable(names[0]) if len(names) == 1 else None
    if call is None:
        return HttpResponse(status=404, content_type=TEXT)
    name = names[0]
    kwargs = {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}
    problem = _argument_problem(call, kwargs)
    if problem:
        return HttpResponse(f"Bad arguments for userscript {name}: {problem}\n", status=400, content_type=TEXT)
    try:
        result = call(**kwargs)
    except Exception as exc:
        log.logger_for(name).exception("call() failed for %s", request.get_full_path())
        return HttpResponse(f"Error in userscript {name}: {exc.__class__.__name__}\n", status=500, content_type=TEXT)
    if isinstance(result, HttpResponseBase):
        return result
    return HttpResponse(str(result), content_type=TEXT)


# call -> its signature; weak, so a version replaced by a reload is freed with its module
_signatures = weakref.WeakKeyDictionary()


def _signature(call):
    """The signature to check arguments against, or None when any keywords will do."""
    try:
        return _signatures[call]
    except (KeyError, TypeError):  # not seen yet, or a callable that takes no weak reference
        pass
    try:
        signature = inspect.signature(call)
    except (TypeError, ValueError):  # no signature to read (a builtin): let the call decide
        signature = None
    else:
        parameters = signature.parameters.values()
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters)
        required = any(p.default is p.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) for p in parameters)
        signature = None if takes_any and not required else signature
    try:
        _signatures[call] = signature
    except TypeError:
        pass
    return signature


def _argument_problem(call, kwargs):
    """Why ``call(**kwargs)`` would fail to bind (a 400, not a 500), or None."""
    signature = _signature(call)
    if signature is None:
        return None
    try:
        signature.bind(**kwargs)
    except TypeError as exc:
        return str(exc)
    return None
