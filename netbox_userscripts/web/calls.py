"""``GET /userscript/?script=NAME&...`` (or a ``POST``): calls ``NAME.call(**arguments)``.

The keyword arguments are the query's parameters and a POST's form or JSON object
(``arguments``). Who may call is ``auth.authorize``'s answer: a logged-in user with
``call_userscript`` (a session only from this site's pages, a POST with its CSRF token), or
anyone for the userscripts of ``USERSCRIPTS_ANONYMOUS_CALLS`` when ``LOGIN_REQUIRED`` is off.
The result is sent as ``text/plain`` after ``str()``; a returned ``HttpResponse`` passes
through. Unknown, failed or call-less scripts are a 404 with an empty body; an exception in
``call`` is a 500 whose one-line body names the exception, the traceback going to the
script's log.
"""
import inspect
import time
import weakref

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from netbox_userscripts.conf import setting
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log
from netbox_userscripts.metrics.observe import observe
from netbox_userscripts.metrics.slowhooks import running
from netbox_userscripts.web.anonymous import SETTING as ANONYMOUS_SETTING
from netbox_userscripts.web.anonymous import anonymous_may_call
from netbox_userscripts.web.arguments import BadArguments, arguments
from netbox_userscripts.web.auth import Refused, authorize

TEXT = "text/plain; charset=utf-8"
CALL_PERMISSION = "netbox_userscripts.call_userscript"


@login_not_required  # authenticates itself: a token client gets 401, not a login redirect
@csrf_exempt  # a token needs no CSRF token; ``authorize`` checks a session's POST as DRF does
@require_http_methods(["GET", "POST"])
def call_userscript(request):
    try:
        kwargs = arguments(request)
    except BadArguments as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type=TEXT)
    names = kwargs.get("script")
    name = names if isinstance(names, str) else None
    try:
        authorize(request, CALL_PERMISSION, module=name, anonymous=name is not None and anonymous_may_call(name))
    except Refused as exc:
        return _refusal(exc)
    call = registry.callable(name) if name is not None else None
    if call is None:
        return HttpResponse(status=404, content_type=TEXT)
    problem = _argument_problem(call, kwargs)
    if problem:
        return HttpResponse(f"Bad arguments for userscript {name}: {problem}\n", status=400, content_type=TEXT)
    started, run, status = time.perf_counter(), running.enter("call", name, "call()"), "error"
    try:
        result = call(**kwargs)
        status = "ok"
    except Exception as exc:
        log.logger_for(name).exception("call() failed for %s", request.get_full_path())
        return HttpResponse(f"Error in userscript {name}: {exc.__class__.__name__}\n", status=500, content_type=TEXT)
    finally:
        running.exit(run)
        observe("call", name, "call", time.perf_counter() - started, status)
    if isinstance(result, HttpResponseBase):
        return result
    return HttpResponse(str(result), content_type=TEXT)


def _refusal(exc):
    message = str(exc)
    if exc.status == 401 and not setting("LOGIN_REQUIRED"):
        message += f" Without a login, only the userscripts in {ANONYMOUS_SETTING} may be called."
    response = HttpResponse(f"{message}\n", status=exc.status, content_type=TEXT)
    if exc.status == 401:
        response["WWW-Authenticate"] = "Token"
    return response


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
