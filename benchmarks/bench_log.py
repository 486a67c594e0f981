"""Figure 7: 4 processes writing 20,000 records each across rotations.

Records lost (target 0) and throughput over one process writing the same 80,000 records
with the standard library's ``RotatingFileHandler`` (target >= 0.3).
"""
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.common import PROJECT, Figure

RECORDS = 20000
WRITER = textwrap.dedent("""
    import logging, logging.handlers, sys
    sys.path.insert(0, {project!r})
    from netbox_userscripts.log.central import CentralLogHandler, LINE_FORMAT, RecordFormatter
    kind, path, proc, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if kind == "stdlib":
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1048576, backupCount=200, encoding="utf-8")
        handler.setFormatter(logging.Formatter(LINE_FORMAT))
    else:  # as the central log writes: further lines indented, controls escaped
        handler = CentralLogHandler(path, maxBytes=1048576, backupCount=200, encoding="utf-8")
        handler.setFormatter(RecordFormatter())
    logger = logging.getLogger("bench.py")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    for seq in range(count):
        logger.info("proc=%s seq=%d payload=%s", proc, seq, "x" * 40)
    handler.close()
""")


def _run(kind, processes, count, folder):
    script = WRITER.format(project=str(PROJECT))
    path = folder / "bench.log"
    started = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", script, kind, str(path), str(p), str(count)])
             for p in range(processes)]
    for proc in procs:
        proc.wait()
    elapsed = time.perf_counter() - started
    seen = set()
    lines = 0
    for file in folder.glob("bench.log*"):
        for line in file.read_text().splitlines():
            lines += 1
            match = re.search(r"proc=(\d+) seq=(\d+) payload=x{40}$", line)
            if match:
                seen.add((match.group(1), match.group(2)))
    return elapsed, processes * count - len(seen), lines - len(seen), len(list(folder.glob("bench.log*")))


def run(rounds=3):
    results = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            base = _run("stdlib", 1, 4 * RECORDS, Path(a))
            cand = _run("central", 4, RECORDS, Path(b))
            results.append((base, cand))
    ratios = sorted(b[0] / c[0] for b, c in results)
    ratio = ratios[len(ratios) // 2]
    lost = max(c[1] for _, c in results)
    duplicated = max(c[2] for _, c in results)
    return [
        Figure("7a", "Log: records lost, 4 processes x 20,000 across rotations", lost, "0",
               lost == 0 and duplicated == 0,
               "records", {"duplicated_or_torn": duplicated, "files": results[0][1][3]}),
        Figure("7b", "Log: throughput, 4 processes over 1 process with RotatingFileHandler", round(ratio, 3), ">= 0.3",
               ratio >= 0.3, "x", {"seconds_4proc_central": [round(c[0], 3) for _, c in results],
                                   "seconds_1proc_stdlib": [round(b[0], 3) for b, _ in results]}),
    ]
