"""REST endpoints of the engine: the modules (``/api/userscripts/``), the log tail, the task runs, the hook costs.

Each lists only the modules the user may see (``module_scope``: the host decides; here, all).
"""
import re

import redis
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from netbox_userscripts.api.module_scope import asked_for, only_visible, visible_modules, visible_task_runs
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.log import central as log
from netbox_userscripts.log import stream as logstream
from netbox_userscripts.log import tail as logtail
from netbox_userscripts.metrics import store as hookstats
from netbox_userscripts.tasks import runs as taskruns


class UserscriptListView(APIView):
    """Every userscript module: state, load time, error, receivers, ``call``, jobs."""

    permission_classes = [IsAdminUser]

    def get_view_name(self):
        return "Userscripts"

    def get(self, request):
        modules = only_visible(registry.describe(), visible_modules(request.user))
        return Response({"root": str(registry.root), "count": len(modules), "results": modules})


class HookCostsView(APIView):
    """``GET /api/userscripts/stats/?minutes=60``: per receiver and ``call``, calls, errors, vetoes, p50, p99
    (seconds) over the last ``minutes`` (default 60, at most the week kept), every process on every host;
    the failing, then the slowest first."""

    permission_classes = [IsAdminUser]

    def get_view_name(self):
        return "Hook costs"

    def get(self, request):
        minutes = _int(request.query_params.get("minutes", "60"), "minutes")
        if not 1 <= minutes <= hookstats.KEEP_DAYS * 24 * 60:
            raise ValidationError({"minutes": [f"minutes must be between 1 and {hookstats.KEEP_DAYS * 24 * 60} "
                                               f"(the {hookstats.KEEP_DAYS} days kept)."]})
        rows = hookstats.costs(visible_modules(request.user), minutes=minutes)
        return Response({"minutes": minutes, "count": len(rows), "results": rows})


class LogTailView(APIView):
    """``GET /api/userscripts/log/?script=NAME&level=L&after=OFFSET&file=ID``: records written since.

    Without ``after``, the last ``n`` records (default 50) and the position to continue
    from. With ``after`` and ``file`` from the previous answer, the records written since,
    following the file across rotations.
    """

    permission_classes = [IsAdminUser]

    def get(self, request):
        script = request.query_params.get("script") or None
        level = request.query_params.get("level") or None
        if level and level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValidationError({"level": [f"{level!r} is not a log level."]})
        modules = visible_modules(request.user)
        client = logstream.stream_client()
        if client is not None:
            return self.from_stream(client, request, script, level, modules)
        path = log.central_log.filename
        after, extra = request.query_params.get("after"), {}
        if after is None:
            n = _int(request.query_params.get("n", "50"), "n")
            budget = logtail.Budget()
            records, file_id, offset = _last_records(path, n, script, level, modules, budget)
            extra = {"complete": not budget.exhausted}
            if budget.exhausted:
                extra["note"] = logtail.unsearched_note(budget)
        else:
            file_id = request.query_params.get("file")
            file_id = _int(file_id, "file") if file_id else None
            text, file_id, offset = logtail.read_from(path, file_id, _int(after, "after"))
            records = only_visible([r for r in logtail.parse(text) if r.matches(script, level)], modules,
                                   lambda record: record.script)
        return Response({"file": file_id, "offset": offset, "records": [r.as_dict() for r in records], **extra})

    def from_stream(self, client, request, script, level, modules=None):
        """With ``USERSCRIPTS_LOG_STREAM``: every host's records; ``offset`` is the stream id to continue after."""
        host = request.query_params.get("host") or None
        after = request.query_params.get("after")
        if after is not None and not _STREAM_ID.match(after):
            raise ValidationError({"after": [f"after must be a stream id like 1700000000000-0, got {after!r}."]})
        try:
            if after is None:
                n = _int(request.query_params.get("n", "50"), "n")
                entries = only_visible([e for e in logstream.last(client, n * 4 + 50)
                                        if logstream.matches(e[1], script, level, host)], modules,
                                       _entry_script)[-n:] if n else []
                offset = logstream.end(client)
            else:
                entries = logstream.read(client, after, count=1000)
                offset = entries[-1][0] if entries else after
                entries = only_visible([e for e in entries if logstream.matches(e[1], script, level, host)], modules,
                                       _entry_script)
        except redis.RedisError as exc:
            return Response({"detail": f"the log stream is unreachable: {exc}"}, status=503)
        return Response({"file": None, "offset": offset, "stream": True,
                         "records": [logstream.as_dict(fields) for _, fields in entries]})


_STREAM_ID = re.compile(r"^\d+-\d+$")


def _entry_script(entry):
    return entry[1].get("script")


def _last_records(path, n, script, level, modules, budget):
    """``logtail.tail`` of the modules the user may see (one read within ``budget``: the last ``n`` of them all)."""
    if modules is None:
        return logtail.tail(path, n, script, level, budget=budget)
    names = asked_for(script, modules)
    if not names:
        return [], *logtail.end_of(path)
    return logtail.tail(path, n, set(names), level, budget=budget)


class CanViewUserscripts(BasePermission):
    """Staff (this project's pages are the admin's), or the userscripts' view permission (NetBox's users)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (
            getattr(user, "is_staff", False) or user.has_perm("netbox_userscripts.view_userscript")))


class TaskRunListView(APIView):
    """``GET /api/userscripts/tasks/?script=NAME&status=S&limit=N``: the latest task runs, newest first."""

    permission_classes = [CanViewUserscripts]

    def get_view_name(self):
        return "Task runs"

    def get(self, request):
        script = request.query_params.get("script") or None
        status = request.query_params.get("status") or None
        if status:
            try:
                taskruns.status_value(status)
            except ValueError as exc:
                raise ValidationError({"status": [str(exc)]}) from None
        limit = min(_int(request.query_params.get("limit", "50"), "limit"), 1000)
        rows = visible_task_runs(request.user, script=script, status=status, limit=limit)
        return Response({"count": len(rows), "results": rows})


def _int(value, name):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: [f"{name} must be a whole number, got {value!r}."]}) from None
    if number < 0:
        raise ValidationError({name: [f"{name} must be 0 or more."]})
    return number
