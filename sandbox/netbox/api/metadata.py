"""OPTIONS answers as NetBox gives them: ``actions.POST``/``PUT`` with each field's choices.

pynetbox's ``choices()`` reads ``actions.POST``. DRF's ``SimpleMetadata`` already lists
choice fields; this only stops it from calling ``get_object()`` on a list endpoint, which
accepts PUT for bulk edits but has no object to look up.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request


class NetBoxMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        actions = {}
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        for method in {"PUT", "POST"} & set(view.allowed_methods):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
                if method == "PUT" and lookup in view.kwargs:
                    view.get_object()
            except (exceptions.APIException, PermissionDenied, Http404):
                continue
            finally:
                view.request = request
            actions[method] = self.get_serializer_info(view.get_serializer())
        return actions
