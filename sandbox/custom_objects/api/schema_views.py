"""``schema/preview/`` and ``schema/apply/``: a schema document compared with, or applied to, the database.

Preview: 200 ``{"diffs": [...]}``, or 400 ``{"schema_errors": [{"path", "message"}]}``.
Apply (body ``{"schema": document, "allow_destructive": false}``; needs the ``add`` and
``change`` permissions on custom object types): 200 ``{"applied": true, "diffs": [...]}``;
409 ``{"error": "destructive_changes", "detail", "destructive_slugs"}`` when fields would be
removed without ``allow_destructive``; 400 ``{"error", "detail"}`` for a cycle between new
types or a reference to nothing. A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413.
"""
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from custom_objects import documents


class DocumentTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class SchemaView(APIView):
    def initial(self, request, *args, **kwargs):
        try:
            request._request.body  # noqa: B018 -- Django checks the size as it reads the body
        except RequestDataTooBig:
            raise DocumentTooLarge(f"The document is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes "
                                   "(DATA_UPLOAD_MAX_MEMORY_SIZE, which configuration.py may raise).") from None
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, SchemaErrors):  # paths keep their numbers, which DRF's errors would make strings
            return Response({"schema_errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def checked(self, document, key=None):
        if not isinstance(document, dict):
            raise ValidationError({key or "non_field_errors": ["Expected a schema document (a JSON object)."]})
        errors = documents.check(document)
        if errors:
            raise SchemaErrors(errors)
        return document


class SchemaErrors(Exception):
    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class SchemaPreviewView(SchemaView):
    """What applying a schema document would change; changes nothing."""

    def get_view_name(self):
        return "Schema Preview"

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, format=None):
        document = self.checked(request.data)
        return Response({"diffs": [d.as_dict() for d in documents.diff(document)]})


class SchemaApplyView(SchemaView):
    """Apply a schema document in one transaction (tables included)."""

    def get_view_name(self):
        return "Schema Apply"

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, format=None):
        user = request.user
        if not (user.has_perm("custom_objects.add_customobjecttype")
                and user.has_perm("custom_objects.change_customobjecttype")):
            raise PermissionDenied("Applying a schema document needs both the add and the change permission on "
                                   "custom object types.")
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ['Expected {"schema": {...}, "allow_destructive": false}.']})
        allow_destructive = request.data.get("allow_destructive", False)
        if not isinstance(allow_destructive, bool):
            raise ValidationError({"allow_destructive": ["Must be true or false."]})
        document = self.checked(request.data.get("schema"), key="schema")
        try:
            diffs = documents.apply(document, allow_destructive=allow_destructive)
        except documents.DestructiveChanges as exc:
            return Response({"error": exc.error, "detail": str(exc), "destructive_slugs": exc.slugs},
                            status=status.HTTP_409_CONFLICT)
        except documents.DocumentError as exc:
            return Response({"error": exc.error, "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"applied": True, "diffs": [d.as_dict() for d in diffs]})
