"""REST API of jobs (Nautobot's ``/api/extras/jobs/``, NetBox's ``/api/extras/scripts/``) and results.

``GET jobs/`` lists the jobs, ``GET jobs/<class_path>/`` describes one, ``POST
jobs/<class_path>/run/`` runs it now and answers 201 with the finished ``JobResult``
(NetBox: ``GET``/``POST scripts/<module.ClassName>/``). The body is ``{"data": {...},
"commit": bool}``, or multipart with ``data`` as a JSON string when a FileVar needs an
upload. With ``"background": true``, ``"schedule_at"`` (ISO 8601, in the future) or
``"interval"`` (minutes) the run is queued for a task worker (``background``) and the answer
is 202 with the ``pending`` (or ``scheduled``) result. Bad input is a 400 ``{"data": {"var":
["why"]}}`` (an option's: ``{"schedule_at": ["why"]}``) and nothing runs; a body over the
input limits (``limits.py``) is a 413 before it is read. Running, now or in the background,
needs ``netbox_userscripts.run_job``; results need ``netbox_userscripts.view_jobresult`` (a user
may always read the results of their own runs).
"""
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ParseError, PermissionDenied, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from netbox_userscripts.conf import setting
from netbox_userscripts.jobs import permissions
from netbox_userscripts.jobs.background import CannotQueue, QueueUnavailable, submit
from netbox_userscripts.jobs.routes import job_for
from netbox_userscripts.jobs.runner import execute, to_json
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts import limits
from netbox_userscripts.scripts.inputs import InputError
from netbox_userscripts.scripts.introspection import info, split_name
from netbox_userscripts.scripts.models import JobResult
from netbox_userscripts.scripts.options import RunOptions, background_run
from netbox_userscripts.scripts.vars import FileVar


def _authenticated(request):
    return bool(request.user and request.user.is_authenticated)


class JobPermission(BasePermission):
    """Reading needs a login (unless LOGIN_REQUIRED is off); running needs ``run_job``."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return _authenticated(request) or not setting("LOGIN_REQUIRED")
        if not _authenticated(request):
            return False
        if not permissions.may_run(request.user):
            raise PermissionDenied(permissions.RUN_REFUSED)
        return True


class JobResultPermission(BasePermission):
    """The list needs ``view_jobresult``; one result is also open to the user who ran it."""

    def has_permission(self, request, view):
        if not _authenticated(request):
            return False
        if "pk" in view.kwargs or permissions.may_view_results(request.user):
            return True
        raise PermissionDenied(permissions.RESULTS_REFUSED)

    def has_object_permission(self, request, view, obj):
        return permissions.may_view_result(request.user, obj)


# Jobs ------------------------------------------------------------------------------------------


def describe_job(job_class, request):
    meta = info(job_class)
    kwargs = {"module": meta.module, "class_name": meta.class_name}
    return {
        "id": meta.class_path,
        "url": reverse("extras-api:job-detail", kwargs=kwargs, request=request),
        "run_url": reverse("extras-api:job-run", kwargs=kwargs, request=request),
        "class_path": meta.class_path,
        "full_name": meta.full_name,
        "netbox_name": meta.full_name,
        "grouping": "local",
        "module": meta.module,
        "module_name": registry.module_label(meta.module),
        "class_name": meta.class_name,
        "name": meta.name,
        "display": meta.name,
        "description": meta.description,
        "read_only": meta.read_only,
        "commit_default": meta.commit_default,
        "hidden": meta.hidden,
        "field_order": list(meta.field_order),
        "test_methods": list(meta.test_methods),
        "vars": [describe_var(name, var) for name, var in meta.vars.items()],
    }


def describe_var(name, var):
    return {
        "name": name,
        "type": var.type_name,
        "label": var.display_label(name),
        "description": var.description,
        "required": var.required,
        "default": to_json(var.default),
        "options": {key: to_json(value) for key, value in var.options.items() if value is not None},
    }


class JobListView(APIView):
    """Every job of the loaded userscripts (hidden ones only with ``?hidden=true``)."""

    permission_classes = [JobPermission]

    def get_view_name(self):
        return "Jobs"

    def get(self, request):
        hidden = request.query_params.get("hidden", "").lower() in ("true", "1")
        jobs = [describe_job(cls, request) for _, _, classes in registry.job_groups(hidden) for cls in classes]
        return Response({"count": len(jobs), "next": None, "previous": None, "results": jobs})


class JobDetailView(APIView):
    """One job; ``POST`` runs it (NetBox's spelling of ``run/``)."""

    permission_classes = [JobPermission]

    def get_view_name(self):
        return "Job"

    def get(self, request, **kwargs):
        return Response(describe_job(job_for(kwargs), request))

    def post(self, request, **kwargs):
        job_class = job_for(kwargs)
        data, commit, background = _run_body(request, job_class)
        try:
            if background is None:
                result = execute(job_class, data, files=request.FILES, commit=commit, user=request.user,
                                 request=request._request)
            else:
                result = submit(job_class, data, commit=commit, user=request.user, **background)
        except InputError as exc:
            return Response({"data": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        except CannotQueue as exc:
            return Response({"background": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        except QueueUnavailable as exc:  # Redis down: a part's fault, said as one (CONTRACT 9)
            return Response({"detail": str(exc)}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        body = JobResultSerializer(result, context={"request": request}).data
        # a background run is accepted, not done: 202 with the queued result, as NetBox answers
        return Response(body, status=status.HTTP_202_ACCEPTED if background is not None else status.HTTP_201_CREATED)


class JobRunView(JobDetailView):
    """``POST jobs/<class_path>/run/``: run the job now."""

    http_method_names = ["post", "options"]


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _request_body(request, job_class):
    """``request.data``, refusing a body over the input limits before it is read."""
    limit = limits.body_limit(sum(isinstance(var, FileVar) for var in info(job_class).vars.values()))
    try:
        size = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        size = 0
    if limit is not None and size > limit:
        raise RequestTooLarge(f"The request body is {limits.human_size(size)}; a run of this job takes at most "
                              f"{limits.human_size(limit)} (DATA_UPLOAD_MAX_MEMORY_SIZE, plus "
                              "FILE_UPLOAD_MAX_MEMORY_SIZE per file variable).")
    try:
        return request.data
    except RecursionError:
        raise ParseError("JSON parse error - nested too deeply.") from None
    except RequestDataTooBig:
        raise RequestTooLarge(f"The form fields are over {limits.human_size(limits.data_limit())} "
                              "(DATA_UPLOAD_MAX_MEMORY_SIZE).") from None
    except TooManyFieldsSent as exc:
        raise ParseError(str(exc)) from None


def _run_body(request, job_class):
    """``(data, commit, background)`` from a JSON body or a multipart form with ``data`` as a JSON string.

    ``background`` is ``{"schedule_at", "interval"}`` for a background run (``background``,
    ``schedule_at`` or ``interval`` given), else None.
    """
    body = _request_body(request, job_class)
    if not hasattr(body, "get"):
        raise ValidationError({"data": ["Give an object of variable names to values."]})
    data = body.get("data", {})
    if isinstance(data, str):
        try:
            data = json.loads(data) if data.strip() else {}
        except (ValueError, RecursionError) as exc:
            raise ValidationError({"data": [f"Not valid JSON: {exc}"]}) from None
    if not isinstance(data, dict):
        raise ValidationError({"data": ["Give an object of variable names to values."]})
    commit = _flag(body, "commit", info(job_class).commit_default)
    options = RunOptions({"background": _flag(body, "background", False), "schedule_at": body.get("schedule_at"),
                          "interval": body.get("interval")})
    if not options.is_valid():
        raise ValidationError(options.errors_by_name())
    return data, commit, background_run(dict(options.cleaned_data))


def _flag(body, name, default):
    """The boolean ``body[name]`` (true/false, or their usual spellings in a form), ``default`` if absent."""
    value = body.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.lower() in ("true", "1", "on", "yes", "false", "0", "off", "no"):
        return value.lower() in ("true", "1", "on", "yes")
    if not isinstance(value, bool):
        raise ValidationError({name: ["Must be true or false."]})
    return value


# Results -----------------------------------------------------------------------------------------


class JobResultSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="extras-api:jobresult-detail")
    display = serializers.SerializerMethodField()
    user = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    log = serializers.SerializerMethodField()
    duration = serializers.FloatField(read_only=True)

    class Meta:
        model = JobResult
        fields = ["id", "url", "display", "class_path", "job_name", "name", "user", "status", "created", "scheduled",
                  "interval", "started", "completed", "duration", "commit", "data", "log", "output", "traceback",
                  "hostname", "pid", "task_id"]

    def get_display(self, obj) -> str:
        return str(obj)

    def get_user(self, obj) -> dict | None:
        if obj.user is None:
            return None
        return {"id": obj.user.pk, "username": obj.user.get_username()}

    def get_log(self, obj) -> list:
        return obj.entries()

    def get_status(self, obj) -> dict:
        return {"value": obj.status, "label": obj.get_status_display()}


class ResultPagination(LimitOffsetPagination):
    default_limit = getattr(settings, "PAGINATE_COUNT", 50)
    max_limit = getattr(settings, "MAX_PAGE_SIZE", 1000)


class JobResultList(generics.ListAPIView):
    """Results, newest first; ``?job=`` (class path or NetBox name), ``?status=``, ``?user=``."""

    serializer_class = JobResultSerializer
    permission_classes = [JobResultPermission]
    pagination_class = ResultPagination

    def get_queryset(self):
        queryset = JobResult.objects.select_related("user")
        params = self.request.query_params
        for job in params.getlist("job") + params.getlist("class_path") + params.getlist("job_name"):
            parts = split_name(job)
            queryset = queryset.filter(job_name=".".join(parts)) if parts else queryset.none()
        statuses = [s for value in params.getlist("status") for s in value.split(",") if s]
        if statuses:
            queryset = queryset.filter(status__in=statuses)
        if params.get("user"):
            queryset = queryset.filter(user__username=params["user"])
        return queryset


class JobResultDetail(generics.RetrieveAPIView):
    serializer_class = JobResultSerializer
    permission_classes = [JobResultPermission]

    def get_queryset(self):
        return JobResult.objects.select_related("user")


class ExtrasRootView(APIView):
    """The jobs part of the API."""

    permission_classes = [JobPermission]

    def get_view_name(self):
        return "Extras"

    def get(self, request, format=None):
        return Response({name: reverse(f"extras-api:{view}", request=request, format=format)
                         for name, view in (("jobs", "job-list"), ("scripts", "script-list"),
                                            ("job-results", "jobresult-list"))})
