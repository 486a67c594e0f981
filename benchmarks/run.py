"""``make bench``: every figure of CONTRACT section 10, as a table and ``benchmarks/results.json``.

    .venv/bin/python benchmarks/run.py [--only 3,6,7]

Each figure runs in a process of its own, on a database and folder of its own, so that
what one figure leaves behind (rows, objects in memory, loaded modules) cannot slow the
next one. A figure near its target (``MEDIAN_OF_THREE``) runs in three processes, one after
the other, and each of its rows is the median process's (all three values in its details):
a busy moment of a shared machine then moves one of three, not the figure.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Every process of a figure imports the sandbox's apps as NetBox's: sandbox/ on its path.
PYTHONPATH = os.pathsep.join([str(PROJECT / "sandbox"), str(PROJECT)])
FIGURES = {
    "1": "bench_save", "2": "bench_request", "3": "bench_call", "4": "bench_job",
    "5": "bench_bulk", "6": "bench_loader", "7": "bench_log", "8": "bench_custom_objects", "9": "bench_commit",
    "10": "bench_tasks", "11": "bench_worker",
}
# Figures measured on an in-memory database (a file database's fsync per commit would hide them).
IN_MEMORY = {"9", "10"}
FIGURES["13"] = "bench_fleet"  # sync-to-live across two hosts (issue 19)
FIGURES["11rq"] = "bench_worker_rq"  # figure 11's RQ half (where redis-server runs)
FIGURES["14"] = "bench_metrics"  # metrics on over off, and figure 1 with metrics on (issue 31)
FIGURES["15"] = "bench_outbox"  # tasks enqueued while Redis is down, run once it is back (issue 28)
FIGURES["16"] = "bench_hookstats"  # the page's hook-costs query over a week of rows (issue 31)
# Figures whose value has come within ~10% of the target (or beyond it) on a busy machine.
MEDIAN_OF_THREE = {"2", "4", "9", "10"}


def measure(number):
    """In a child process: set up Django and print the figure's rows as JSON."""
    sys.path.insert(0, str(PROJECT))
    from benchmarks import common

    overrides = {"ROOT_URLCONF": "benchmarks.urls"}
    if number in IN_MEMORY:
        overrides["DATABASE"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    common.setup_django(**overrides)
    module = __import__(f"benchmarks.{FIGURES[number]}", fromlist=["run"])
    print(json.dumps([figure.row() for figure in module.run()]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated figure numbers")
    parser.add_argument("--figure", help=argparse.SUPPRESS)  # the child process's own figure
    args = parser.parse_args()
    if args.figure:
        return measure(args.figure)
    rows, started = [], time.perf_counter()
    for number in args.only.split(","):
        t = time.perf_counter()
        runs = [figure_process(number) for _ in range(3 if number in MEDIAN_OF_THREE else 1)]
        rows.extend(median_rows(runs))
        print(f"figure {number} measured in {time.perf_counter() - t:.1f} s ({len(runs)} processes)", file=sys.stderr)
    print_table(rows)
    out = Path(__file__).with_name("results.json")
    out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count()},
        "seconds": round(time.perf_counter() - started, 1),
        "figures": rows,
    }, indent=2))
    print(f"\nwritten to {out}")
    return 0 if all(row["passed"] for row in rows) else 1


def figure_process(number):
    """The rows of figure ``number`` measured in a new process, or one failed row saying why."""
    with tempfile.TemporaryDirectory(prefix=f"userscripts-bench-{number}-") as work:
        env = {**os.environ, "BENCH_WORK": work, "PYTHONPATH": PYTHONPATH}
        done = subprocess.run([sys.executable, __file__, "--figure", number], cwd=PROJECT, env=env,
                              capture_output=True, text=True)
    if done.returncode != 0:
        print(f"figure {number} failed:\n{done.stderr[-4000:]}", file=sys.stderr)
        return [{"number": number, "name": FIGURES[number], "value": None, "target": "", "passed": False,
                 "unit": "", "details": {"error": done.stderr.strip().splitlines()[-1:]}}]
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_rows(runs):
    """One process's rows as they are; of three, each row the median process's, the three values in its details."""
    if len(runs) == 1:
        return runs[0]
    failed = next((run for run in runs if any(row["value"] is None for row in run)), None)
    if failed is not None:
        return failed
    rows = []
    for i in range(len(runs[0])):
        ordered = sorted((run[i] for run in runs), key=lambda row: row["value"])
        middle = ordered[len(ordered) // 2]
        rows.append({**middle, "details": {**middle["details"], "processes": [run[i]["value"] for run in runs]}})
    return rows


def print_table(rows):
    table = [("#", "figure", "value", "target", "result")]
    table += [(r["number"], r["name"], f"{r['value']} {r['unit']}".strip(), r["target"],
               "PASS" if r["passed"] else "FAIL") for r in rows]
    widths = [max(len(str(line[i])) for line in table) for i in range(5)]
    for i, line in enumerate(table):
        print("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for r in rows:
        if r["details"]:
            print(f"  {r['number']}: {json.dumps(r['details'])}")


if __name__ == "__main__":
    sys.exit(main())
