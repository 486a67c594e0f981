"""``GET /metrics``: the engine's Prometheus metrics, summed over every process of this host.

Served with ``METRICS_ENABLED = True`` only (a 404 otherwise, as NetBox does). Who may read:
a scraper sending ``Authorization: Bearer <USERSCRIPTS_METRICS_TOKEN>`` (Prometheus's
``authorization`` or ``bearer_token``), a staff user's session, or anyone when
``LOGIN_REQUIRED`` is off (NetBox's ``/metrics`` is open). In prometheus-client's
multi-process mode (``PROMETHEUS_MULTIPROC_DIR``, set by the project's settings) the figures
are every gunicorn worker's and task worker's of the host, read from their files; the waiting
tasks are asked of the database at each scrape.
"""
import secrets

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from netbox_userscripts.conf import setting
from netbox_userscripts.metrics import multiproc, observe
from netbox_userscripts.tasks.waiting import WaitingTasksCollector

TEXT = "text/plain; charset=utf-8"


@login_not_required  # answers 401 itself: a scraper is no browser to redirect to a login page
@require_GET
def metrics(request):
    if not setting("METRICS_ENABLED"):
        raise Http404("Metrics are off: set METRICS_ENABLED = True.")
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    observe.flush()  # this process's own pending figures (the others hand theirs over each second)
    return HttpResponse(generate_latest(_processes()) + generate_latest(_scraped()), content_type=CONTENT_TYPE_LATEST)


def _processes():
    """Every process's figures in multi-process mode, else this process's (the default registry)."""
    folder = multiproc.folder()
    if folder is None:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(folder))
    return registry


def _scraped():
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WaitingTasksCollector())
    return registry


def _refusal(request):
    """None when the caller may read the metrics, else the 401 or 403 saying why."""
    token = setting("USERSCRIPTS_METRICS_TOKEN")
    scheme, _, sent = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer":
        if token and secrets.compare_digest(sent.strip().encode(), str(token).encode()):
            return None
        return HttpResponse("The bearer token is not USERSCRIPTS_METRICS_TOKEN.\n", status=403, content_type=TEXT)
    if not setting("LOGIN_REQUIRED"):
        return None
    if not request.user.is_authenticated:
        response = HttpResponse("Authentication required: send 'Authorization: Bearer <USERSCRIPTS_METRICS_TOKEN>' "
                                "or log in as a staff user.\n", status=401, content_type=TEXT)
        response["WWW-Authenticate"] = "Bearer"
        return response
    if not request.user.is_staff:
        return HttpResponse("Only staff users may read the metrics.\n", status=403, content_type=TEXT)
    return None
