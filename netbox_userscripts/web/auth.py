"""Who is asking: session or ``Authorization: Token KEY``, for views outside DRF.

A token is checked by the host's own DRF authentication classes (``REST_FRAMEWORK``'s
``DEFAULT_AUTHENTICATION_CLASSES`` other than the session one): DRF's ``TokenAuthentication``
in this project, NetBox's v1 ``Token`` and v2 ``Bearer nbt_...`` tokens inside NetBox.
"""
from django.apps import apps
from django.utils.module_loading import import_string
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings

from netbox_userscripts.conf import setting


class Refused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def authorize(request, permission, module=None):
    """Return the user allowed to act, or raise ``Refused`` (401 no or bad login, 403 no permission).

    With ``module`` (a userscript's name), a host whose permissions can name modules (the app
    config's ``host_module_permission``: NetBox's object permissions constrained by name) is
    asked too.

    With ``LOGIN_REQUIRED = False`` anyone may act, anonymous users included (None is
    returned when no token was sent).
    """
    header = request.META.get("HTTP_AUTHORIZATION")
    if not header and not setting("LOGIN_REQUIRED"):
        return None  # anyone may act; the user is not even looked up
    user = request.user
    if header:
        result = _authenticate_header(request)
        if result is not None:
            user = request.user = result[0]
    if not setting("LOGIN_REQUIRED"):
        return user
    if not user.is_authenticated:
        raise Refused(401, "Authentication required: log in or send 'Authorization: Token KEY'.")
    if not user.has_perm(permission):
        raise Refused(403, f"Permission {permission} is required.")
    if module is not None and not module_allowed(user, permission, module):
        raise Refused(403, f"Permission {permission} is required for the userscript {module}.")
    return user


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
