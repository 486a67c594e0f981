"""Hook costs: the recorder's sketch, its sums in ``HookStat`` across processes, and the page, command and API.

The quantiles are checked for correctness (a known spread of durations, sketches merged by
adding counts), not for this machine's speed. The last test proves it from outside: saves
through two gunicorn workers, read back by the command and the API of another process.
"""
import json
import math
import subprocess
import time
from io import StringIO

import pytest
import requests
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from netbox_userscripts.metrics import store as hookstats
from netbox_userscripts.metrics.models import HookStat
from netbox_userscripts.metrics.window import BUCKETS, UPPER_BOUNDS, Recorder, bucket_of, quantile, recorder
from tests.gunicorn import GUNICORN, fresh_database, serve, wait_until, write_configuration
from tests.project import MANAGE, PROJECT, environment

HOOKS = """
import time
from django.contrib.auth.models import Group
from netbox_userscripts import AbortEvent
from netbox_userscripts.signals import post_save, pre_save

def slow(sender, instance, **kwargs):
    time.sleep(0.2)

def fails(sender, instance, **kwargs):
    raise ValueError("always")

def refuses(sender, instance, **kwargs):
    if instance.name.startswith("no"):
        raise AbortEvent("not this one")

def anything(sender, **kwargs):
    pass

post_save.connect(slow, sender=Group)
post_save.connect(fails, sender=Group)
pre_save.connect(refuses, sender=Group)
post_save.connect(anything)

def call(**kwargs):
    return "ok"
"""


def test_a_duration_falls_in_the_bucket_its_bounds_say():
    assert bucket_of(0) == 0 and bucket_of(0.0001) == 0
    assert bucket_of(0.00011) == 1 and bucket_of(0.0002) == 1
    assert bucket_of(0.2) == 11 and UPPER_BOUNDS[10] < 0.2 <= UPPER_BOUNDS[11]
    assert bucket_of(10_000) == BUCKETS - 1 and math.isinf(UPPER_BOUNDS[-1])
    for seconds in (0.00003, 0.0007, 0.013, 0.2, 1.5, 40.0):
        index = bucket_of(seconds)
        assert (UPPER_BOUNDS[index - 1] if index else 0) < seconds <= UPPER_BOUNDS[index]


def counts_of(durations):
    counts = [0] * BUCKETS
    for seconds in durations:
        counts[bucket_of(seconds)] += 1
    return counts


def test_quantiles_of_merged_sketches_are_those_of_all_the_durations():
    fast = [0.001] * 90  # one process: 90 fast calls
    slow = [0.5] * 10  # another: 10 slow ones
    merged = [a + b for a, b in zip(counts_of(fast), counts_of(slow), strict=True)]
    assert 0.0008 < quantile(merged, 0.5) <= 0.0016  # a fast call (its bucket), whatever each process's median
    assert 0.25 < quantile(merged, 0.99, largest=0.5) <= 0.5
    assert quantile([0] * BUCKETS, 0.5) is None
    assert quantile(counts_of([1000.0]), 0.5, largest=1000.0) == pytest.approx(1000.0, rel=0.5)


def test_the_recorder_keeps_each_minute_apart_and_takes_it_once():
    now = [600.0]
    recording = Recorder(clock=lambda: now[0])
    key = ("receiver", "m", "f", "post_save", "auth.Group")
    recording.observe(key, 0.2, "ok")
    recording.observe(key, 0.1, "error")
    now[0] += 60
    recording.observe(key, 0.3, "veto")
    taken = recording.take()
    assert not recording and recording.take() == {}
    first, second = taken[(10, key)], taken[(11, key)]
    assert (first.calls, first.errors, first.vetoes, first.largest) == (2, 1, 0, 0.2)
    assert (second.calls, second.vetoes) == (1, 1)
    recording.give_back(taken)  # the database refused: kept for the next flush
    recording.observe(key, 0.3, "ok")
    assert recording.take()[(11, key)].calls == 2
    now[0] += 60 * 60  # minute 71: minute 10 is over an hour old, 11 is not
    recording.give_back(taken)  # refused for over an hour: the oldest minutes go
    assert set(recording.take()) == {(11, key)}


def test_the_hot_path_costs_microseconds():
    recording = Recorder()
    key = ("receiver", "m", "f", "post_save", "dcim.Device")
    started = time.perf_counter()
    for _ in range(20_000):
        recording.observe(key, 0.00002, "ok")
    per_call = (time.perf_counter() - started) / 20_000
    assert per_call < 50e-6, f"{per_call * 1e6:.1f} µs per observe"  # ~1 µs; generous for a loaded machine


@pytest.mark.django_db
def test_tallies_of_several_processes_add_up_in_one_row():
    key = ("receiver", "m", "f", "post_save", "auth.Group")
    minute = int(time.time() // 60)
    for durations in ([0.2] * 3, [0.2, 0.4, 0.001]):  # two processes flushing the same minute
        process = Recorder(clock=lambda: minute * 60 + 1)
        for seconds in durations:
            process.observe(key, seconds, "ok")
        for (at, k), tally in process.take().items():
            hookstats._add(at, k, tally)
    row = HookStat.objects.get(minute=minute)
    assert (row.calls, row.largest) == (6, 0.4) and row.seconds == pytest.approx(1.201)
    assert row.b11 == 4 and row.b12 == 1 and row.b4 == 1
    cost, = hookstats.costs()
    assert cost["calls"] == 6 and 0.1 < cost["p50"] <= 0.2 and cost["max"] == 0.4


@pytest.mark.django_db
def test_the_hour_is_read_failing_first_then_slowest_and_old_rows_pruned():
    minute = int(time.time() // 60)
    rows = {"quick": (10, 0, 1), "sluggish": (10, 0, 14), "broken": (10, 2, 1)}
    for name, (calls, errors, bucket) in rows.items():
        HookStat.objects.create(minute=minute, kind="receiver", module="m", name=name, signal="post_save",
                                sender="*", calls=calls, errors=errors, largest=UPPER_BOUNDS[bucket],
                                **{f"b{bucket}": calls})
    HookStat.objects.create(minute=minute - 61, kind="call", module="m", name="call", calls=5, b3=5)
    HookStat.objects.create(minute=minute - 8 * 24 * 60, kind="call", module="old", name="call", calls=1, b3=1)
    assert [c["name"] for c in hookstats.costs()] == ["broken", "sluggish", "quick"]
    assert [c["name"] for c in hookstats.costs(minutes=120)][-1] == "call"
    assert hookstats.costs(modules=set()) == [] and len(hookstats.costs(modules={"m"})) == 3
    assert hookstats.prune() == 1 and not HookStat.objects.filter(module="old").exists()


def save_groups(count=3):
    for index in range(count):
        Group.objects.create(name=f"g{index}")
    with pytest.raises(Exception, match="not this one"):
        Group.objects.create(name="nope")


@pytest.mark.django_db(transaction=True)
def test_receivers_are_counted_by_outcome_and_shown_on_the_page_command_and_api(userscripts, client):
    userscripts.load_module("hooks", HOOKS)
    recorder.take()  # what earlier tests left
    save_groups()
    hookstats.store.flush()
    costs = {(c["name"], c["sender"]): c for c in hookstats.costs()}
    slow, fails, refuses = costs["slow", "auth.Group"], costs["fails", "auth.Group"], costs["refuses", "auth.Group"]
    assert (slow["calls"], slow["errors"], slow["signal"]) == (3, 0, "post_save")
    assert 0.15 <= slow["p50"] <= 0.6 and slow["p50"] <= slow["p99"] <= slow["max"]
    assert (fails["calls"], fails["errors"]) == (3, 3)
    assert (refuses["calls"], refuses["vetoes"], refuses["errors"]) == (4, 1, 0)
    assert costs["anything", "*"]["calls"] >= 3  # a sender-less receiver: "*"
    assert list(costs)[0] == ("fails", "auth.Group")  # the failing first

    admin = User.objects.create_superuser("boss", password="x")
    client.force_login(admin)
    page = client.get("/userscripts/").content.decode()
    assert 'id="hook-costs"' in page and "hooks.slow on post_save of auth.Group" in page
    answer = client.get("/api/userscripts/stats/").json()
    assert answer["minutes"] == 60 and {r["name"] for r in answer["results"]} >= {"slow", "fails", "refuses"}
    refused = client.get("/api/userscripts/stats/?minutes=0")
    assert refused.status_code == 400 and "minutes must be between 1 and 10080" in refused.json()["minutes"][0]
    assert client.get("/api/userscripts/stats/?minutes=x").status_code == 400

    out = StringIO()
    call_command("userscripts", "--stats", stdout=out)
    text = out.getvalue()
    assert text.splitlines()[1].startswith("hooks.fails on post_save of auth.Group")
    assert "hooks.slow on post_save of auth.Group" in text
    out = StringIO()
    call_command("userscripts", "--stats", "--json", stdout=out)
    assert {r["name"] for r in json.loads(out.getvalue())} >= {"slow", "fails"}


@pytest.mark.django_db(transaction=True)
def test_a_call_is_counted(userscripts, client, settings):
    settings.USERSCRIPTS_ANONYMOUS_CALLS = ["hooks"]
    settings.LOGIN_REQUIRED = False
    userscripts.load_module("hooks", HOOKS)
    recorder.take()
    assert client.get("/userscript/?script=hooks").content == b"ok"
    hookstats.store.flush()
    call, = [c for c in hookstats.costs() if c["kind"] == "call"]
    assert (call["module"], call["name"], call["calls"], call["errors"]) == ("hooks", "call", 1, 0)


SAVER = HOOKS + """
import os

def call(**kwargs):
    Group.objects.create(name=kwargs["name"])
    return str(os.getpid())
"""
SHELL_SAVE = "from django.contrib.auth.models import Group; Group.objects.create(name='from-shell')"
MAKE_TOKEN = ("from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token; "
              "print(Token.objects.create(user=User.objects.create_superuser('boss', password='x')).key)")


def manage(config, *args):
    return subprocess.run([*MANAGE, *args], cwd=PROJECT, env=environment(config), capture_output=True, text=True,
                          timeout=120)


def stats(config):
    done = manage(config, "userscripts", "--stats", "--json")
    assert done.returncode == 0, done.stderr
    return {(row["kind"], row["name"]): row for row in json.loads(done.stdout)}


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_saves_through_two_workers_are_summed_for_every_reader(tmp_path):
    root = tmp_path / "userscripts"
    root.mkdir()
    (root / "saver.py").write_text(SAVER)
    database = fresh_database(f"hookstats_{int(time.time())}")
    config = write_configuration(tmp_path, root, database=database, anonymous_calls=["saver"])
    assert manage(config, "migrate", "--no-input").returncode == 0
    token = manage(config, "shell", "-c", MAKE_TOKEN).stdout.split()[-1]  # after the shell's own lines
    log = tmp_path / "u.log"
    log.unlink(missing_ok=True)
    quiet = manage(config, "userscripts", "--stats")  # migrate's and the shell's saves: "anything" ran
    assert "saver.anything on post_save of *" in quiet.stdout and not log.exists()  # read-only: nothing logged
    assert manage(config, "shell", "-c", SHELL_SAVE).returncode == 0  # a process with no heartbeat: at its exit
    with serve(config, workers=2) as base:
        wait_until(lambda: requests.get(f"{base}/userscript/?script=saver&name=first", timeout=5).ok, timeout=60)
        pids, saves = set(), 1
        while len(pids) < 2 or saves < 8:  # both workers saved, several times
            pids.add(requests.get(f"{base}/userscript/?script=saver&name=g{saves}", timeout=5,
                                  headers={"Connection": "close"}).text)
            saves += 1
            assert saves < 60, f"one worker answered every call: {pids}"
        saves += 1  # the shell's
        wait_until(lambda: stats(config).get(("receiver", "slow"), {}).get("calls") == saves, timeout=30,
                   message="the workers' tallies did not reach the table")
        counted = stats(config)
        slow, fails, call = counted["receiver", "slow"], counted["receiver", "fails"], counted["call", "call"]
        assert 0.15 <= slow["p50"] <= 0.6 and slow["errors"] == 0 and slow["sender"] == "auth.Group"
        assert (fails["calls"], fails["errors"]) == (saves, saves)
        assert call["calls"] == saves - 1 and call["p50"] >= 0.15  # a call() that saves waits for its receivers
        answer = requests.get(f"{base}/api/userscripts/stats/", headers={"Authorization": f"Token {token}"},
                              timeout=5).json()
        assert [row["name"] for row in answer["results"]][0] == "fails"  # the failing first
        assert {row["name"]: row["calls"] for row in answer["results"]}["slow"] == saves
