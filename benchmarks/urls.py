"""The project's URLs plus the bare views the benchmarks compare the engine with."""
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from netbox.urls import urlpatterns as project_urlpatterns


@login_not_required
def bare_call(request):
    """What /userscript/ does for a call, minus the engine: the same function, inline."""
    kwargs = {key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()}
    body = ", ".join(f"{k}={v}" for k, v in sorted(kwargs.items()))
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


# Routed as /userscript/ is in the project (an app's URLs included first, at the root).
urlpatterns = [path("", include([path("bench-bare/", bare_call)])), *project_urlpatterns]
