"""The plugin's API under ``/api/plugins/userscripts/``: modules, log tail, scripts and their runs.

The engine's views, held to NetBox's permissions instead of Django's ``is_staff`` (NetBox's
users have none): reading needs ``netbox_userscripts.view_userscript``, running a script
``netbox_userscripts.run_userscript``, a sync ``netbox_userscripts.sync_userscript`` (``permissions``).
Every list shows only the modules the user's ``view`` constraints name: the modules, the log
and the task runs through the engine's ``module_scope`` (the plugin's ``host_visible_modules``),
the module rows and the scripts here.
"""
from django.core.exceptions import ValidationError
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from netbox_userscripts import api as engine_api
from netbox_userscripts.api.module_scope import only_visible
from netbox_userscripts.fleet import api as fleet_api
from netbox_userscripts.models import Userscript
from netbox_userscripts.netbox_plugin import jobs, permissions


class UserscriptSerializer(serializers.ModelSerializer):
    """A module's row as NetBox shows an object it points at (an event rule's action object)."""

    display = serializers.CharField(source="name", read_only=True)

    def __init__(self, *args, nested=False, fields=None, **kwargs):  # NetBox's serializer arguments
        super().__init__(*args, **kwargs)

    class Meta:
        model = Userscript
        fields = ["id", "display", "name", "state", "version", "last_loaded"]


def serializer_for(model, prefix=""):
    """The plugin's ``serializer_resolver`` (NetBox 4.6.8+): NetBox finds no ``netbox_userscripts.api.serializers``.

    ``model`` is a model or an instance (NetBox passes either).
    """
    return UserscriptSerializer if model._meta.model is Userscript else None


class HasPermission(BasePermission):
    permission = permissions.VIEW

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(self.permission))


class WritingToken(BasePermission):
    """A token allowed to write, as NetBox asks of every API write (a session has no token: allowed)."""

    message = "This token is read-only (write_enabled is off)."

    def has_permission(self, request, view):
        return getattr(request.auth, "write_enabled", True)


class CanRun(HasPermission):
    """``run_userscript`` on the script's module (with ``WritingToken``: read-only tokens run nothing)."""

    permission = permissions.RUN

    def has_permission(self, request, view):
        return (super().has_permission(request, view)
                and permissions.allows(request.user, self.permission, view.kwargs["name"].partition(".")[0]))


class HookCostsView(engine_api.HookCostsView):
    """The engine's hook costs of the modules the user's ``view`` constraints name."""

    permission_classes = [HasPermission]


class UserscriptListView(engine_api.UserscriptListView):
    """The engine's module list, each module's ``jobs`` being what NetBox runs of it: the same names as ``scripts/``
    (its NetBox scripts and its Nautobot-style jobs; the engine alone knows only the latter)."""

    permission_classes = [HasPermission]

    def get(self, request):
        answer = super().get(request)
        runnable = {}
        for module, class_name, _cls in jobs.scripts():
            runnable.setdefault(module, []).append(class_name)
        for module in answer.data["results"]:
            module["jobs"] = sorted(runnable.get(module["name"], []))
        return answer


class LogTailView(engine_api.LogTailView):
    permission_classes = [HasPermission]


class SyncView(fleet_api.SyncView):
    """The engine's sync, held to the action ``sync`` on the userscript (NetBox has no ``sync_userscripts``),
    and refused to a read-only token: a sync changes what every process runs."""

    permission_classes = [*fleet_api.SyncView.permission_classes, WritingToken]
    required_permission = permissions.SYNC


class ModuleRowListView(generics.ListAPIView):
    """The modules' rows (``?q=`` part of a name), paged as NetBox's lists: what its object selectors read."""

    permission_classes = [HasPermission]
    serializer_class = UserscriptSerializer

    def get_queryset(self):
        rows = permissions.visible_rows(self.request.user).order_by("name")
        if query := self.request.query_params.get("q"):
            rows = rows.filter(name__icontains=query)
        return rows


class ScriptListView(APIView):
    """The NetBox scripts the userscripts define."""

    permission_classes = [HasPermission]

    def get(self, request):
        visible = permissions.visible_modules(request.user)
        results = [{"name": f"{module}.{class_name}", "module": module, "class_name": class_name,
                    "display": getattr(cls, "name", class_name), "description": getattr(cls, "description", ""),
                    "url": reverse("plugins-api:netbox_userscripts-api:script-run",
                                   kwargs={"name": f"{module}.{class_name}"}, request=request)}
                   for module, class_name, cls in only_visible(jobs.scripts(), visible, lambda script: script[0])]
        return Response({"count": len(results), "results": results})


class ScriptRunView(APIView):
    """``POST {"data": {...}, "commit": bool, "schedule_at": ISO time, "interval": minutes}``, as NetBox's own
    ``/api/extras/scripts/ID/run/``: without ``schedule_at`` and ``interval`` the script runs now and the answer is
    the finished ``core.Job``; with either, the answer is the job queued for ``rqworker`` (status ``scheduled``).
    Bad input is a 400 by field: the script's variables by name, ``schedule_at`` and ``interval`` by theirs."""

    permission_classes = [CanRun, WritingToken]
    # The API's names for the form's fields "Schedule at" and "Recurs every".
    RUN_OPTIONS = {"schedule_at": "_schedule_at", "interval": "_interval"}

    def post(self, request, name):
        body = request.data if isinstance(request.data, dict) else {}
        data = body.get("data", {}) if isinstance(request.data, dict) else None
        if not isinstance(data, dict):
            raise APIValidationError({"data": ["data must be an object of the script's variables."]})
        data = {**data, **{field: body.get(option) for option, field in self.RUN_OPTIONS.items()}}
        try:
            job = jobs.run(name, data, user=request.user, commit=bool(body.get("commit", False)), request=request)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        except ValidationError as exc:
            raise APIValidationError(self._by_option(exc.message_dict) if hasattr(exc, "error_dict")
                                     else exc.messages) from exc
        return Response({
            "id": job.pk, "name": job.name, "status": job.status, "scheduled": job.scheduled,
            "interval": job.interval, "data": job.data, "error": job.error,
            "url": reverse("core-api:job-detail", kwargs={"pk": job.pk}, request=request),
        }, status=status.HTTP_200_OK)

    def _by_option(self, errors):
        fields = {field: option for option, field in self.RUN_OPTIONS.items()}
        return {fields.get(field, field): messages for field, messages in errors.items()}
