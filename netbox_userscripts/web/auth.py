"""Who is asking, and may they act: session or ``Authorization: Token KEY``, for views outside DRF.

A token is checked by the host's own DRF authentication classes (``REST_FRAMEWORK``'s
``DEFAULT_AUTHENTICATION_CLASSES`` other than the session one): DRF's ``TokenAuthentication``
in this project, NetBox's v1 ``Token`` and v2 ``Bearer nbt_...`` tokens inside NetBox.
"""
from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.settings import api_settings

from netbox_userscripts.web.origin import cross_site_reason


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def authorize(request, permission, module=None, anonymous=False):
    """Return the user allowed to act, or raise ``Refused`` (401 no or bad login, 403 refused).

    An anonymous request may act only where ``anonymous`` says so (the caller's rule, e.g.
    ``USERSCRIPTS_ANONYMOUS_CALLS``); ``LOGIN_REQUIRED = False`` alone lets nobody act. A
    logged-in user needs ``permission`` whatever ``LOGIN_REQUIRED`` says; with ``module`` (a
    userscript's name), a host whose permissions can name modules (the app config's
    ``host_module_permission``: NetBox's object permissions constrained by name) is asked too.

    A token must allow writes (NetBox's ``write_enabled``). A session must come from this site
    (``origin``): a link on another site must not act as the user, and a POST needs Django's
    CSRF token, as DRF's ``SessionAuthentication`` asks. A token is sent by its client on
    purpose, so neither applies to it.
    """
    if anonymous and not _credentials_sent(request):
        return request.user  # anyone may act, and nobody logged in: not even looked up (a hot path)
    user, token = _identify(request)
    if not user.is_authenticated:
        if anonymous:
            return user
        raise Refused(401, "Authentication required: log in or send 'Authorization: Token KEY'.")
    if token is None:
        _check_session_request(request)
    elif not getattr(token, "write_enabled", True):
        raise Refused(403, "This token is read-only (write disabled), and the action may write: "
                           "use a write-enabled token.")
    if not user.has_perm(permission):
        raise Refused(403, f"Permission {permission} is required.")
    if module is not None and not module_allowed(user, permission, module):
        raise Refused(403, f"Permission {permission} is required for the userscript {module}.")
    return user


def _credentials_sent(request):
    """Whether the request carries a token or a session cookie (else nobody can be logged in by either)."""
    return "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME in request.COOKIES


def _identify(request):
    """``(user, token)``: the token's user, or the session's (token None); ``Refused`` 401 for a bad token."""
    if request.META.get("HTTP_AUTHORIZATION"):
        result = _authenticate_header(request)
        if result is not None:
            request.user = result[0]
            return result
    return request.user, None


def _check_session_request(request):
    reason = cross_site_reason(request)
    if reason:
        raise Refused(403, f"Cross-site request refused: {reason}. With a session, call from this site's "
                           "pages; other clients send a token.")
    if request.method == "POST":
        try:
            SessionAuthentication().enforce_csrf(request)
        except PermissionDenied as exc:
            raise Refused(403, f"{exc.detail} Send the CSRF token (the form's csrfmiddlewaretoken or the "
                               "X-CSRFToken header), or a token.") from exc


def module_allowed(user, permission, module):
    """Whether the host lets ``user`` have ``permission`` on the module ``module`` (True where it cannot say)."""
    check = getattr(apps.get_app_config("netbox_userscripts"), "host_module_permission", None)
    return import_string(check)(user, permission, module) if check else True


def _authenticate_header(request):
    """``(user, token)`` from the ``Authorization`` header, None if no class knows its scheme."""
    for authentication_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authentication_class, SessionAuthentication):
            continue
        try:
            result = authentication_class().authenticate(request)
        except AuthenticationFailed as exc:
            raise Refused(401, str(exc.detail)) from exc
        if result is not None:
            return result
    return None
