"""``make bench``: every figure of CONTRACT section 10, as a table and ``benchmarks/results.json``.

    .venv/bin/python benchmarks/run.py [--only 3,6,7]
"""
import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import common  # noqa: E402

FIGURES = ["1", "2", "3", "4", "5", "6", "7"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(FIGURES), help="comma-separated figure numbers")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    common.setup_django(ROOT_URLCONF="benchmarks.urls")
    from benchmarks import bench_call, bench_loader, bench_log

    runners = {
        "3": bench_call.run,
        "6": bench_loader.run,
        "7": bench_log.run,
    }
    for number, module_name in (("1", "bench_save"), ("2", "bench_request"), ("4", "bench_job"), ("5", "bench_bulk")):
        try:
            module = __import__(f"benchmarks.{module_name}", fromlist=["run"])
            runners[number] = module.run
        except ImportError as exc:
            print(f"figure {number}: not measured ({exc})", file=sys.stderr)
    figures = []
    started = time.perf_counter()
    for number in FIGURES:
        if number in wanted and number in runners:
            t = time.perf_counter()
            figures.extend(runners[number]())
            print(f"figure {number} measured in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    print_table(figures)
    out = Path(__file__).with_name("results.json")
    out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine()},
        "seconds": round(time.perf_counter() - started, 1),
        "figures": [f.row() for f in figures],
    }, indent=2))
    print(f"\nwritten to {out}")
    return 0 if all(f.passed for f in figures) else 1


def print_table(figures):
    rows = [("#", "figure", "value", "target", "result")]
    rows += [(f.number, f.name, f"{f.value} {f.unit}".strip(), f.target, "PASS" if f.passed else "FAIL") for f in figures]
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    for i, row in enumerate(rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    for f in figures:
        if f.details:
            print(f"  {f.number}: {json.dumps(f.details)}")


if __name__ == "__main__":
    sys.exit(main())
