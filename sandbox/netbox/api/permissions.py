"""API permissions: Django model permissions for writes, LOGIN_REQUIRED for reads."""
from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Django's model permissions, with ``view_*`` needed for reads as in NetBox."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"],
                 "OPTIONS": [], "HEAD": ["%(app_label)s.view_%(model_name)s"]}


class TokenPermissions(BasePermission):
    """Reads are open to anonymous users only when LOGIN_REQUIRED is False; writes need a login.

    Views that have a queryset add Django's model permissions on top of this.
    """

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated):
            return request.method in SAFE_METHODS and not settings.LOGIN_REQUIRED
        if getattr(view, "queryset", None) is not None or hasattr(view, "get_queryset"):
            try:
                return ModelPermissions().has_permission(request, view)
            except (AssertionError, AttributeError):
                return True
        return True
