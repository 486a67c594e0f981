"""The in-process recorder of hook costs: counts and a duration sketch per receiver and minute.

``observe`` runs on every save a receiver listens to, so it is one dict update under a lock
(about a microsecond; ``benchmarks/bench_hookstats.py`` measures it). What it gathers waits
here, per (minute, key), until the heartbeat's chore takes it (``take``) and adds it to the
database (``store``), where every process on every host adds its own.

A duration goes into one of ``BUCKETS`` fixed log-scale buckets (upper bounds 0.1 ms times
powers of two, the last open-ended). Fixed bounds are what lets sketches of many processes
and minutes merge exactly: add the counts bucket by bucket, then read the quantiles
(``quantile``), never average quantiles.
"""
import math
import threading
import time
from dataclasses import dataclass, field

BUCKETS = 22
SMALLEST = 0.0001  # seconds: the first bucket's upper bound; bucket i ends at SMALLEST * 2**i
UPPER_BOUNDS = tuple(SMALLEST * 2 ** i for i in range(BUCKETS - 1)) + (math.inf,)  # the last: up to ~105 s and more
BUCKET_FIELDS = tuple(f"b{index}" for index in range(BUCKETS))  # their columns in ``HookStat``
ERRORS = frozenset({"error", "failed", "errored"})  # a receiver's or call's outcome, a job's or task's status


def bucket_of(seconds):
    """The index of the bucket that holds a duration of ``seconds``."""
    if seconds <= SMALLEST:
        return 0
    exponent = math.frexp(seconds / SMALLEST)[1]  # 2**(e-1) <= x < 2**e
    if seconds / SMALLEST == 2 ** (exponent - 1):  # on a bound: the bucket it closes
        exponent -= 1
    return min(exponent, BUCKETS - 1)


def quantile(counts, q, largest=None):
    """The ``q`` quantile (0..1) of durations counted in ``counts`` (one count per bucket), or None when empty.

    Interpolated linearly inside the bucket it falls in (between half its upper bound and its
    bound), capped by ``largest``, the largest duration seen, when known: the open last bucket
    has no bound of its own.
    """
    total = sum(counts)
    if not total:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= rank:
            lower = UPPER_BOUNDS[index - 1] if index else 0.0
            upper = UPPER_BOUNDS[index] if index < BUCKETS - 1 else (largest or lower * 2)
            value = lower + (upper - lower) * max(rank - seen, 0) / count
            return min(value, largest) if largest is not None else value
        seen += count
    return largest


@dataclass
class Tally:
    """What one key cost in one minute: counts by outcome, total and largest duration, the bucket counts."""

    calls: int = 0
    errors: int = 0
    vetoes: int = 0
    seconds: float = 0.0
    largest: float = 0.0
    buckets: dict = field(default_factory=dict)  # bucket index -> count (few are used: a dict, not a list)

    def add(self, seconds, outcome):
        self.calls += 1
        if outcome in ERRORS:
            self.errors += 1
        elif outcome == "veto":
            self.vetoes += 1
        self.seconds += seconds
        if seconds > self.largest:
            self.largest = seconds
        index = bucket_of(seconds)
        self.buckets[index] = self.buckets.get(index, 0) + 1


class Recorder:
    """The tallies this process gathered since the last ``take``, per (minute, key)."""

    def __init__(self, clock=time.time):
        self._clock = clock
        self._lock = threading.Lock()
        self._pending = {}

    def observe(self, key, seconds, outcome):
        """Count one call of ``key`` (kind, module, name, signal, sender) that took ``seconds``."""
        minute = int(self._clock() // 60)
        with self._lock:
            tally = self._pending.get((minute, key))
            if tally is None:
                tally = self._pending[(minute, key)] = Tally()
            tally.add(seconds, outcome)

    def take(self):
        """Everything gathered so far, ``{(minute, key): Tally}``, and start afresh; minute is Unix minutes."""
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    def give_back(self, pending, keep_minutes=60):
        """Put tallies that could not be stored back, to be tried again (merged with what came since).

        Only those of the last ``keep_minutes``: a database away for hours costs the older
        minutes, never a memory that grows by a tally per receiver and minute.
        """
        oldest = int(self._clock() // 60) - keep_minutes
        with self._lock:
            for slot, tally in pending.items():
                if slot[0] < oldest:
                    continue
                mine = self._pending.get(slot)
                if mine is None:
                    self._pending[slot] = tally
                    continue
                mine.calls += tally.calls
                mine.errors += tally.errors
                mine.vetoes += tally.vetoes
                mine.seconds += tally.seconds
                mine.largest = max(mine.largest, tally.largest)
                for index, count in tally.buckets.items():
                    mine.buckets[index] = mine.buckets.get(index, 0) + count

    def __bool__(self):
        return bool(self._pending)


recorder = Recorder()
