"""The engine's Prometheus metrics in one process: every receiver outcome counted, /metrics and who may read it,
the series a realistic set of userscripts makes, and a slow hook named in the log while it runs.

Several processes summed (gunicorn workers, a task worker) are ``test_metrics_gunicorn.py``'s.
"""
import threading
import time

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from netbox_userscripts.metrics import observe
from netbox_userscripts.metrics.slowhooks import running
from netbox_userscripts.tasks.decorator import UserscriptTask
from tests.project import PROJECT

TOKEN = "scrape-me"
HOOKS = """
import time
from dcim.models import Region, Site
from django.db.models.signals import post_save, pre_save
from netbox_userscripts import AbortEvent
from tenancy.models import Tenant


def logged(instance, **kwargs):
    logger.info("saved %s", instance)


def broken(instance, **kwargs):
    raise RuntimeError("no luck")


def refuse(instance, **kwargs):
    raise AbortEvent("regions are frozen")


def anything(sender, **kwargs):
    pass


post_save.connect(logged, sender=Site)
post_save.connect(broken, sender=Tenant)
pre_save.connect(refuse, sender=Region)
post_save.connect(anything)


def call(**kwargs):
    return "ok"
"""


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_ENABLED = True
    settings.USERSCRIPTS_METRICS_TOKEN = TOKEN
    observe.configure(True)
    yield
    observe.configure(False)


def scrape(client, **headers):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200, response.content
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.content.decode()) for s in family.samples}


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


@pytest.mark.django_db
def test_each_receiver_outcome_is_counted_with_its_time(client, userscripts, metrics_on):
    from dcim.models import Region, Site
    from netbox_userscripts.exceptions import AbortEvent
    from tenancy.models import Tenant

    userscripts.load_module("mhooks", HOOKS)
    Site.objects.create(name="s1", slug="s1")
    Site.objects.create(name="s2", slug="s2")
    Tenant.objects.create(name="t1", slug="t1")
    with pytest.raises(AbortEvent):
        Region.objects.create(name="r1", slug="r1")
    assert client.get("/userscript/?script=mhooks").status_code in (200, 401)
    samples = scrape(client)
    site = {"module": "mhooks", "receiver": "logged", "signal": "post_save", "sender": "dcim.Site"}
    assert value(samples, "userscripts_receiver_calls_total", outcome="ok", **site) == 2
    assert value(samples, "userscripts_receiver_duration_seconds_count", **site) == 2
    assert value(samples, "userscripts_receiver_duration_seconds_bucket", le="+Inf", **site) == 2
    assert value(samples, "userscripts_receiver_calls_total", module="mhooks", receiver="broken", signal="post_save",
                 sender="tenancy.Tenant", outcome="error") == 1
    assert value(samples, "userscripts_receiver_calls_total", module="mhooks", receiver="refuse", signal="pre_save",
                 sender="dcim.Region", outcome="veto") == 1
    # A sender-less receiver is one series, "*", whatever model was saved.
    assert value(samples, "userscripts_receiver_calls_total", module="mhooks", receiver="anything",
                 signal="post_save", sender="*", outcome="ok") == 3
    assert value(samples, "userscripts_loads_total", kind="load", outcome="ok") >= 1
    assert value(samples, "userscripts_modules", state="loaded") >= 1
    assert value(samples, "userscripts_log_records_total", level="INFO") >= 2


@pytest.mark.django_db
def test_metrics_off_costs_nothing_and_answer_404(client, userscripts, settings):
    from dcim.models import Site

    observe.configure(False)
    settings.METRICS_ENABLED = False
    userscripts.load_module("mquiet", HOOKS)
    Site.objects.create(name="q1", slug="q1")
    assert not [key for key in observe.state.children if key[1] == "mquiet"]
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.django_db
def test_who_reads_the_metrics(client, metrics_on, django_user_model):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics")["WWW-Authenticate"] == "Bearer"
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    client.force_login(django_user_model.objects.create_user("plain", password="pw"))
    assert client.get("/metrics").status_code == 403
    client.force_login(django_user_model.objects.create_user("staff", password="pw", is_staff=True))
    assert client.get("/metrics").status_code == 200


# Series per receiver: 13 buckets + _sum + _count, and one counter per outcome (ok, error, veto); per call(), job or
# task: 15 + one counter per status. In one-process mode (no PROMETHEUS_MULTIPROC_DIR) each child adds a _created.
SERIES_PER_HOOK = 18
FIXED_SERIES = 40  # loads, modules, version, log records and drops, schedule periods


@pytest.mark.django_db
def test_series_stay_within_the_stated_bound(userscripts, metrics_on):
    shipped = sorted(p for p in (PROJECT / "userscripts").glob("*.py"))
    userscripts.load_files(*shipped)
    userscripts.load_module("mhooks", HOOKS)
    from netbox_userscripts.loading.registry import registry

    hooks = 0
    for script in registry.modules():  # every outcome of every hook: the worst case
        for connection in script.connections.items:
            hooks += 1
            for outcome in ("ok", "error", "veto"):
                observe.observe("receiver", script.name, connection.receiver.__name__, 0.01, outcome,
                                connection.describe()["signal"], connection.receiver.sender_label)
        if registry.callable(script.name) is not None:
            hooks += 1
            for status in ("ok", "error"):
                observe.observe("call", script.name, "call", 0.01, status)
        for task in [v for v in vars(script.module).values() if isinstance(v, UserscriptTask)]:
            hooks += 1
            for status in ("successful", "failed"):
                observe.observe("task", script.name, task.name, 0.01, status)
    observe.flush()
    modules = {script.name for script in registry.modules()}
    series = [s for family in REGISTRY.collect() if family.name.startswith("userscripts_") for s in family.samples
              if not s.name.endswith("_created") and (s.labels.get("module") in modules or "module" not in s.labels)]
    assert len(series) >= 15 * hooks  # every hook's series are there
    assert hooks >= 10  # a realistic set: the shipped userscripts and a few more
    assert len(series) <= SERIES_PER_HOOK * hooks + FIXED_SERIES, (len(series), hooks)


SLOW = """
import time
from dcim.models import Site
from django.db.models.signals import post_save


def crawl(instance, **kwargs):
    time.sleep(2)


post_save.connect(crawl, sender=Site)
"""


@pytest.mark.django_db
def test_a_slow_receiver_is_named_in_the_log_while_it_runs(userscripts):
    from dcim.models import Site

    running.configure(0.5)
    try:
        userscripts.load_module("slowpoke", SLOW)
        seen = {}

        def watch():
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and "saved" not in seen:
                if userscripts.log.exists() and "slow receiver: crawl" in userscripts.log.read_text():
                    seen["warning"] = time.monotonic()
                    return
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        Site.objects.create(name="slow site", slug="slow-site")
        seen["saved"] = time.monotonic()
        watcher.join()
    finally:
        running.configure()
    assert "warning" in seen and seen["warning"] < seen["saved"], "no warning while the receiver ran"
    text = userscripts.log.read_text()
    assert text.count("slow receiver: crawl") == 1
    assert "on <Site: slow site>" in text
    assert "time.sleep(2)" in text  # where it is: its stack


def test_a_wrong_slow_hook_threshold_is_one_line_naming_the_setting():
    from netbox_userscripts.exceptions import ConfigurationError
    from netbox_userscripts.metrics.slowhooks import checked_threshold
    from netbox_userscripts.netbox_plugin.checks import problems_of

    assert checked_threshold(0.5) == 0.5 and checked_threshold(0) is None and checked_threshold(None) is None
    with pytest.raises(ConfigurationError, match=r"USERSCRIPTS_SLOW_HOOK_SECONDS must be a number of seconds > 0"):
        checked_threshold(-1)
    assert [p for p in problems_of({"USERSCRIPTS_SLOW_HOOK_SECONDS": "5"}) if "SLOW" in p] == [
        'PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_SLOW_HOOK_SECONDS"] must be of type int or float, '
        "got str '5'."]
    assert any("USERSCRIPTS_SLOW_HOOK_SECONDS must be a number of seconds > 0" in p
               for p in problems_of({"USERSCRIPTS_SLOW_HOOK_SECONDS": -2}))


@pytest.mark.django_db
def test_waiting_tasks_are_read_at_the_scrape(client, userscripts, metrics_on, settings):
    settings.TASKS = {"default": {"BACKEND": "netbox_userscripts.tasks.backend.DatabaseBackend"}}
    module = userscripts.load_module("mtasks", """
        from netbox_userscripts.tasks import task


        @task
        def later():
            pass
    """)
    module.later.enqueue()
    module.later.enqueue()
    samples = scrape(client)
    assert value(samples, "userscripts_tasks_waiting", queue="default") == 2
    assert 0 <= value(samples, "userscripts_tasks_oldest_waiting_seconds", queue="default") < 60


def test_a_dead_process_live_gauges_are_removed_and_its_counts_kept(tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    from prometheus_client import values

    from netbox_userscripts.metrics import multiproc

    monkeypatch.setattr(values, "ValueClass", values.ValueClass)  # prepare() picks multi-process values: undone after
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(gone.stdout)
    for name in (f"gauge_livemax_{dead}.db", f"counter_{dead}.db", f"gauge_livemax_{os.getpid()}.db"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setenv(multiproc.ENVIRONMENT, str(tmp_path))
    assert multiproc.dead_pids(tmp_path) == [dead]
    multiproc.prepare()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"counter_{dead}.db", f"gauge_livemax_{os.getpid()}.db"]


def test_a_slow_call_is_warned_once_and_a_dropped_log_record_counted(userscripts, metrics_on):
    from netbox_userscripts.log import central as log
    from netbox_userscripts.metrics import families

    running.configure(0.1)
    try:
        run = running.enter("call", "mcalls", "call()")
        assert running.check(now=run.started + 0.05) == []  # not yet
        assert running.check(now=run.started + 1) == [run]
        assert running.check(now=run.started + 2) == []  # once per run
        running.exit(run)
    finally:
        running.configure()
    text = userscripts.log.read_text()
    assert text.count("mcalls.py: slow call: call() has run for 1.0 s (USERSCRIPTS_SLOW_HOOK_SECONDS = 0.1)") == 1
    before = families.LOG_DROPPED.labels("queue_full")._value.get()
    log.central_log._note_dropped()  # what the log stream calls for a record its full queue leaves out
    observe.flush()
    assert families.LOG_DROPPED.labels("queue_full")._value.get() == before + 1
