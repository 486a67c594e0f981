"""DRF exception handler: every error is JSON, a veto or a model validation error is a 400."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from netbox_userscripts.exceptions import AbortEvent


def exception_handler(exc, context):
    if isinstance(exc, AbortEvent):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        blocking = sorted({f"{obj._meta.verbose_name} {obj} (id {obj.pk})" for obj in
                           getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", [])})
        return Response({"detail": f"Cannot delete: {len(blocking)} dependent objects block it.",
                         "dependent_objects": blocking}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)
