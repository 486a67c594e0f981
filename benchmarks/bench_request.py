"""Figure 2: API list requests per second with the request signals on (no receivers) over off.

"Off" is the same project with ``RequestSignalsMiddleware`` taken out of ``MIDDLEWARE``;
both run in this process, through Django's test client (no network), interleaved.
"""
from django.conf import settings
from django.test import Client, override_settings

from benchmarks.common import Figure, interleave

REQUESTS = 10
URL = "/api/dcim/sites/?limit=50"


def run(rounds=101):
    from dcim.models import Site

    Site.objects.bulk_create(Site(name=f"Request bench {i}", slug=f"request-bench-{i}") for i in range(50))
    with_signals = Client()
    assert with_signals.get(URL).status_code == 200
    without = [m for m in settings.MIDDLEWARE if not m.endswith("RequestSignalsMiddleware")]
    assert len(without) == len(settings.MIDDLEWARE) - 1
    without_signals = Client()
    with override_settings(MIDDLEWARE=without):
        assert without_signals.get(URL).status_code == 200  # builds its middleware chain without the signals

    def on():
        for _ in range(REQUESTS):
            with_signals.get(URL)

    def off():
        for _ in range(REQUESTS):
            without_signals.get(URL)

    base, cand, time_ratio = interleave(off, on, rounds)
    ratio = 1 / time_ratio  # requests per second, on over off
    Site.objects.filter(slug__startswith="request-bench-").delete()
    return [Figure("2", "Request overhead: API list req/s, request signals on over off", round(ratio, 3), ">= 0.97",
                   ratio >= 0.97, "x", {"on_rps": round(REQUESTS / cand["median"]),
                                        "off_rps": round(REQUESTS / base["median"])})]
