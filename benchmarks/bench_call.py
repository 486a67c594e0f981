"""Figure 3: ``/userscript/`` throughput over a bare Django view doing the same work.

Each side is served by a URL map in which its URL comes first: the project's own map for
``/userscript/`` (the engine's URLs lead it), ``benchmarks.urls`` for the bare view. So
neither pays for trying the other's patterns; what is left is the engine's own work.
"""
import contextlib

from django.conf import settings
from django.test import Client

from benchmarks.common import Figure, interleave

REQUESTS = 40
WORK_FUNCTION = "def call(**kwargs):\n    return ', '.join(f'{k}={v}' for k, v in sorted(kwargs.items()))\n"


@contextlib.contextmanager
def url_map(name):
    """Serve with another URL map. Set directly, not with override_settings, whose signal
    would empty Django's resolver cache at every switch; both maps stay cached."""
    previous, settings.ROOT_URLCONF = settings.ROOT_URLCONF, name
    try:
        yield
    finally:
        settings.ROOT_URLCONF = previous


def run(rounds=101):
    from benchmarks.common import WORK
    from netbox_userscripts.loading.registry import registry

    root = WORK / "call-scripts"
    root.mkdir(exist_ok=True)
    (root / "bench_call.py").write_text(WORK_FUNCTION)
    registry.load_all(root)
    client = Client()
    engine_url = "/userscript/?script=bench_call&a=1&b=x&b=y"
    bare_url = "/bench-bare/?script=bench_call&a=1&b=x&b=y"
    assert client.get(engine_url).content == client.get(bare_url).content == b"a=1, b=['x', 'y'], script=bench_call"

    def engine():
        with url_map("netbox.urls"):
            for _ in range(REQUESTS):
                client.get(engine_url)

    def bare():
        with url_map("benchmarks.urls"):
            for _ in range(REQUESTS):
                client.get(bare_url)

    base, cand, time_ratio = interleave(bare, engine, rounds)
    ratio = 1 / time_ratio  # throughput ratio = inverse time ratio
    registry.unload_all()
    return [Figure("3", "/userscript/ throughput over a bare Django view", round(ratio, 3), ">= 0.90", ratio >= 0.90,
                   "x", {"engine_rps": round(REQUESTS / cand["median"]), "bare_rps": round(REQUESTS / base["median"])})]
