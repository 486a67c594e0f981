"""``make bench``: every figure of CONTRACT section 10, as a table and ``benchmarks/results.json``.

    .venv/bin/python benchmarks/run.py [--only 3,6,7]

Each figure runs in a process of its own, on a database and folder of its own, so that
what one figure leaves behind (rows, objects in memory, loaded modules) cannot slow the
next one.
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
        with tempfile.TemporaryDirectory(prefix=f"userscripts-bench-{number}-") as work:
            env = {**os.environ, "BENCH_WORK": work, "PYTHONPATH": PYTHONPATH}
            done = subprocess.run([sys.executable, __file__, "--figure", number], cwd=PROJECT, env=env,
                                  capture_output=True, text=True)
        if done.returncode != 0:
            print(f"figure {number} failed:\n{done.stderr[-4000:]}", file=sys.stderr)
            rows.append({"number": number, "name": FIGURES[number], "value": None, "target": "", "passed": False,
                         "unit": "", "details": {"error": done.stderr.strip().splitlines()[-1:]}})
            continue
        rows.extend(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"figure {number} measured in {time.perf_counter() - t:.1f} s", file=sys.stderr)
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
