"""The central log: line format, rotation at the size, and several processes writing at once."""
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from netbox_userscripts.log import central as log

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [A-Za-z_][\w]*\.py: .*$")
PROJECT = Path(__file__).resolve().parent.parent


def test_line_format_and_traceback(central_log):
    logger = log.logger_for("formatting")
    logger.info("device %s %s", "sw1", "created")
    try:
        1 / 0  # noqa: B018 (raises on purpose)
    except ZeroDivisionError:
        logger.exception("it failed")
    lines = central_log.read_text().splitlines()
    assert LINE.match(lines[0]) and lines[0].endswith(" INFO formatting.py: device sw1 created")
    assert LINE.match(lines[1]) and lines[1].endswith(" ERROR formatting.py: it failed")
    assert lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "ZeroDivisionError: division by zero"


def test_level_setting(central_log, settings):
    log.configure(filename=str(central_log), level="WARNING")
    logger = log.logger_for("levels")
    logger.info("quiet")
    logger.warning("loud")
    assert central_log.read_text().count("levels.py") == 1


def test_rotation_at_the_size(tmp_path):
    path = tmp_path / "rotating.log"
    try:
        log.configure(filename=str(path), max_size=2000, backup_count=3)
        logger = log.logger_for("rotation")
        for i in range(200):
            logger.info("record %03d %s", i, "x" * 40)
    finally:
        log.configure()
    files = sorted(tmp_path.glob("rotating.log*"))
    assert [f.name for f in files] == ["rotating.log", "rotating.log.1", "rotating.log.2", "rotating.log.3"]
    for f in files:
        assert f.stat().st_size <= 2000 + 200  # the handler may run one record past the size
    # the newest records are kept, in order, across the files
    kept = [line for f in reversed(files) for line in f.read_text().splitlines()]
    numbers = [int(re.search(r"record (\d+)", line).group(1)) for line in kept]
    assert numbers == list(range(numbers[0], 200))


WRITER = textwrap.dedent("""
    import sys
    import logging
    sys.path.insert(0, {project!r})
    from netbox_userscripts.log.central import CentralLogHandler, LINE_FORMAT
    handler = CentralLogHandler({path!r}, maxBytes=262144, backupCount=40, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    logger = logging.getLogger("writer.py")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    proc = sys.argv[1]
    for seq in range({count}):
        logger.info("proc=%s seq=%d payload=%s", proc, seq, "y" * 20)
    handler.close()
""")


def test_four_processes_across_rotations_lose_tear_and_duplicate_nothing(tmp_path):
    path = tmp_path / "shared.log"
    count = 20000
    script = WRITER.format(project=str(PROJECT), path=str(path), count=count)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(p)]) for p in range(4)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    files = list(tmp_path.glob("shared.log*"))
    assert len(files) > 10  # many rotations happened
    seen = {}
    for f in files:
        for line in f.read_text().splitlines():
            assert LINE.match(line), f"torn line in {f.name}: {line!r}"
            match = re.search(r"proc=(\d) seq=(\d+) payload=y{20}$", line)
            assert match, f"torn line in {f.name}: {line!r}"
            key = (match.group(1), int(match.group(2)))
            seen[key] = seen.get(key, 0) + 1
    assert len(seen) == 4 * count  # none lost
    assert set(seen.values()) == {1}  # none duplicated


def test_a_one_megabyte_message_is_one_whole_record(central_log):
    from netbox_userscripts.log import tail as logtail

    logger = log.logger_for("big")
    message = "m" * (1 << 20)
    logger.info("before")
    logger.info("huge %s end", message)
    logger.info("after")
    records = logtail.last(central_log, 3)
    assert [r.message[:5] for r in records] == ["befor", "huge ", "after"]
    assert records[1].message == f"huge {message} end"
