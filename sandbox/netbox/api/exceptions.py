"""DRF exception handler: every error is JSON; vetoes and model validation errors are 400s.

- ``AbortEvent`` (a ``pre_*`` receiver's veto): 400 ``{"detail": message}``.
- Django ``ValidationError`` (``full_clean``, ``bulk_edit``): 400 with the field names.
- ``ProtectedError``/``RestrictedError``: 409 naming the objects that block the delete.
- ``IntegrityError`` (a constraint the validation could not foresee, e.g. a race): 409.
- ``DataError`` (a value the database refuses, e.g. a date PostgreSQL cannot hold): 400.
- SQLite's "database is locked" (another process held the write lock past ``SQLITE_TIMEOUT``), or the
  database server gone (restarting): 503 saying which, with ``Retry-After`` (``netbox.database_unavailable``).
- Anything else: a JSON 500 without the traceback, which goes to the log instead.
"""
import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from netbox.api.serializers import django_errors_to_drf
from netbox.database_unavailable import RETRY_AFTER, unavailable
from netbox_userscripts.exceptions import AbortEvent

logger = logging.getLogger("netbox.api")


def exception_handler(exc, context):
    if isinstance(exc, AbortEvent):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(django_errors_to_drf(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (ProtectedError, RestrictedError)):
        blocking = sorted({f"{obj._meta.verbose_name} {obj} (id {obj.pk})" for obj in
                           getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", [])})
        return Response({"detail": f"Cannot delete: {len(blocking)} dependent objects block it.",
                         "dependent_objects": blocking}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        return Response({"detail": f"The change conflicts with existing data: {exc}"},
                        status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DataError):
        return Response({"detail": f"The database refused a value of the request: {exc}".strip()},
                        status=status.HTTP_400_BAD_REQUEST)
    database_away = unavailable(exc)
    if database_away:
        return Response({"detail": database_away}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": RETRY_AFTER})
    response = drf_exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.error("Unhandled error in %s", type(view).__name__ if view else "API view", exc_info=exc)
        response = Response({"detail": f"Server error: {type(exc).__name__}. The traceback is in the server log."},
                            status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return response
