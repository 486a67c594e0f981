"""REST endpoints of many hosts: ``POST /api/userscripts/sync/`` and ``GET /api/userscripts/processes/``.

Neither is open to anonymous users, even with ``LOGIN_REQUIRED = False``: a sync needs the
permission ``netbox_userscripts.sync_userscripts`` (a push webhook sends a token of a user
who has it), the table ``netbox_userscripts.view_userscriptprocess`` (superusers have both).
"""
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from netbox_userscripts.exceptions import ConfigurationError
from netbox_userscripts.fleet.origin import origin
from netbox_userscripts.fleet.sync import sync
from netbox_userscripts.fleet.table import process_rows

SYNC_PERMISSION = "netbox_userscripts.sync_userscripts"
VIEW_PROCESSES_PERMISSION = "netbox_userscripts.view_userscriptprocess"


class HasPermission(BasePermission):
    """A logged-in user (session or token) with the view's ``required_permission``."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(view.required_permission))


class SyncView(APIView):
    """Fetch ``USERSCRIPTS_GIT`` (or read the data source), record the version: 200 done, 502 failed, 400 not set."""

    permission_classes = [HasPermission]
    required_permission = SYNC_PERMISSION

    def get_view_name(self):
        return "Userscripts sync"

    def post(self, request):
        try:
            source = origin()
        except ConfigurationError as exc:
            return Response({"ok": False, "message": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        if source is None:
            return Response({"ok": False, "message": "USERSCRIPTS_GIT is not set: nothing to sync."},
                            status=status.HTTP_400_BAD_REQUEST)
        outcome = sync(source)
        return Response(outcome.as_dict(), status=status.HTTP_200_OK if outcome.ok else status.HTTP_502_BAD_GATEWAY)


class ProcessListView(APIView):
    """Every process running userscripts: host, pid, role, start, version, modules, last seen, state."""

    permission_classes = [HasPermission]
    required_permission = VIEW_PROCESSES_PERMISSION

    def get_view_name(self):
        return "Userscripts processes"

    def get(self, request):
        return Response(process_rows())
