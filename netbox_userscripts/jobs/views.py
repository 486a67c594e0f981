"""Job pages: the list, a job's form (submitting runs it), and the results.

``/jobs/`` lists jobs by module; ``/jobs/<class_path>/`` shows the form built from the vars
and runs the job on POST (``run_job`` permission), now or, with "Run in the background",
"Schedule at" or "Recurs every", queued for a task worker (``background``), redirecting to
``/jobs/results/<id>/`` (which reloads itself until a queued or running result is finished).
Log messages are Markdown, rendered when the result is shown and cleaned with ``nh3`` so a
message cannot inject markup or scripts. ``choices/<var>/`` lists an object var's choices
for the values of the fields it refers to (``$var`` in ``query_params``), for the form's
script to refresh a select when such a field changes. The form and the choices offer only
the objects the user may view elsewhere (``scripts.visibility``), and a submitted object
they may not view is refused as one that does not exist.
"""
import functools

import markdown
import nh3
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from netbox_userscripts.conf import setting
from netbox_userscripts.jobs import permissions
from netbox_userscripts.jobs.background import CannotQueue, QueueUnavailable, queue
from netbox_userscripts.jobs.routes import job_for
from netbox_userscripts.jobs.runner import run_job
from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts.fields import ObjectFieldMixin
from netbox_userscripts.scripts.introspection import info, split_name
from netbox_userscripts.scripts.models import JobResult
from netbox_userscripts.scripts.options import background_run

LEVEL_CLASSES = {"default": "default", "debug": "debug", "info": "info", "success": "success",
                 "warning": "warning", "failure": "failure"}


def login_needed(view):
    """A login when LOGIN_REQUIRED (also where the project has no login middleware)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if setting("LOGIN_REQUIRED") and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


@login_needed
@require_GET
def job_list(request):
    last = {}
    for result in JobResult.objects.order_by("-created")[:200].only("id", "job_name", "status", "created"):
        last.setdefault(result.job_name, result)
    modules = [(label, name, [(info(cls), last.get(info(cls).full_name)) for cls in classes])
               for label, name, classes in registry.job_groups()]
    return render(request, "netbox_userscripts/jobs/job_list.html", {"modules": modules})


@login_needed
@require_http_methods(["GET", "POST"])
def job_run(request, **kwargs):
    job_class = job_for(kwargs)
    meta = info(job_class)
    may_run = permissions.may_run(request.user)
    job = _job_for(job_class, request)
    answer = 200
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied(permissions.RUN_REFUSED)
        form = job.as_form(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            commit = data.pop("_commit", False)
            background = background_run(data, prefix="_")
            try:
                if background is None:
                    result = run_job(job_class, data, commit=commit, user=request.user, request=request)
                else:
                    result = queue(job_class, data, commit=commit, user=request.user, **background)
            except (CannotQueue, QueueUnavailable) as exc:
                form.add_error("_background", str(exc))
                answer = 503 if isinstance(exc, QueueUnavailable) else 200  # Redis down: the form again, with why
            else:
                return redirect("jobs:result", pk=result.pk)
    else:
        form = job.as_form(initial=request.GET.dict() or None)
    return render(request, "netbox_userscripts/jobs/job.html", {
        "job": meta, "form": form, "may_run": may_run,
        "module_name": registry.module_label(meta.module),
        "choices_base": request.path.rstrip("/") + "/choices/",
        "has_files": any(getattr(f.widget, "needs_multipart_form", False) for f in form.fields.values()),
    }, status=answer)


@login_needed
@require_GET
def var_choices(request, var, **kwargs):
    """``{"results": [{"value", "label"}]}``: the choices of object var ``var`` for the GET values."""
    job_class = job_for(kwargs)
    form = _job_for(job_class, request).as_form(initial=request.GET.dict())
    field = form.fields.get(var)
    if not isinstance(field, ObjectFieldMixin):
        raise Http404(f"{job_class.__name__} has no object variable {var!r}.")
    field.filter_by(request.GET)
    results = [{"value": obj.pk, "label": field.label_from_instance(obj)} for obj in field.queryset[:1000]]
    return JsonResponse({"results": results})


def _job_for(job_class, request):
    """A job whose form shows and accepts only the objects the user asking may view."""
    job = job_class()
    job.user = request.user
    return job


def _visible_result(request, pk):
    result = get_object_or_404(JobResult.objects.select_related("user"), pk=pk)
    if not permissions.may_view_result(request.user, result):
        raise PermissionDenied(permissions.RESULT_REFUSED)
    return result


def render_message(text):
    """Markdown to HTML: raw HTML in a message is shown as text, and the result is cleaned
    of anything but harmless formatting and links (``javascript:`` URLs and the like)."""
    renderer = markdown.Markdown(extensions=["fenced_code", "tables"])
    # Python-Markdown passes raw HTML through; without these two it is escaped like text.
    renderer.preprocessors.deregister("html_block")
    renderer.inlinePatterns.deregister("html")
    return nh3.clean(renderer.convert(text or ""))


@login_needed
@require_GET
def result_detail(request, pk):
    result = _visible_result(request, pk)
    groups = [(grouping, [dict(entry, html=render_message(entry.get("message")),
                               css=LEVEL_CLASSES.get(entry.get("level"), "default")) for entry in entries])
              for grouping, entries in result.groupings()]
    counts = {}
    for entry in result.log:
        counts[entry.get("level")] = counts.get(entry.get("level"), 0) + 1
    return render(request, "netbox_userscripts/jobs/result.html", {
        "result": result, "groups": groups, "counts": sorted(counts.items()),
        "job_class": _loaded_job(result.job_name),
    })


def _loaded_job(name):
    """The job class of a result if it is still loaded (the page links to it), else None."""
    try:
        return registry.get_job(name)
    except LookupError:
        return None


@login_needed
@require_GET
def result_output(request, pk):
    result = _visible_result(request, pk)
    response = HttpResponse(result.output, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="job-result-{result.pk}.txt"'
    return response


@login_needed
@require_GET
def result_list(request):
    results = JobResult.objects.select_related("user").defer("log", "output", "traceback", "data")
    if not permissions.may_view_results(request.user):
        results = results.filter(user_id=request.user.pk)
    job = request.GET.get("job")
    if job:
        parts = split_name(job)
        results = results.filter(job_name=".".join(parts)) if parts else results.none()
    if request.GET.get("status"):
        results = results.filter(status=request.GET["status"])
    return render(request, "netbox_userscripts/jobs/result_list.html", {"results": results[:200], "job": job or ""})
