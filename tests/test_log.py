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
    assert lines[2] == "  Traceback (most recent call last):"  # a record's further lines are indented
    assert lines[-1] == "  ZeroDivisionError: division by zero"
    assert all(line.startswith("  ") for line in lines[2:])


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
    from netbox_userscripts.log.central import CentralLogHandler, RecordFormatter
    handler = CentralLogHandler({path!r}, maxBytes=262144, backupCount=40, encoding="utf-8")
    handler.setFormatter(RecordFormatter())
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


FORGED = "2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged"
# Each can end a line somewhere: a reader splitting lines, a terminal returning to the line's start.
SEPARATORS = ("\n", "\r\n", "\r", "\x85", "\u2028", "\x1b[2K\r", "\x0b")


def test_no_message_makes_a_line_that_reads_as_a_record(central_log):
    """Issue 27.5: whatever a message holds, the file has one header line per record, and the tail one record."""
    from netbox_userscripts.log import tail as logtail

    logger = log.logger_for("change_log")
    for separator in SEPARATORS:
        logger.info("device %s created", f"x{separator}{FORGED}")
    text = central_log.read_bytes().decode()  # not read_text(): it would turn a \r into a line's end
    lines = text.split("\n")[:-1]
    assert [line for line in lines if LINE.match(line)] == [line for line in lines if not line.startswith("  ")]
    assert len([line for line in lines if LINE.match(line)]) == len(SEPARATORS)
    assert all(" INFO change_log.py: device x" in line for line in lines if LINE.match(line))
    assert not any(char in text for char in "\r\x85\u2028\x1b\x0b")
    assert lines[1] == f"  {FORGED} created"  # the newline: the rest of the message, indented
    records = logtail.last(central_log, 100)
    assert [r.script for r in records] == ["change_log"] * len(SEPARATORS)
    assert [(r.message, r.extra) for r in records] == [
        ("device x", [f"{FORGED} created"]), ("device x", [f"{FORGED} created"]),
        (f"device x\\r{FORGED} created", []), (f"device x\\x85{FORGED} created", []),
        (f"device x\\u2028{FORGED} created", []), (f"device x\\x1b[2K\\r{FORGED} created", []),
        (f"device x\\x0b{FORGED} created", [])]
    assert records[0].text.endswith(f" INFO change_log.py: device x\n  {FORGED} created")


def test_a_file_of_the_previous_version_is_read_as_well_as_it_can_be(tmp_path):
    """Continuation lines not indented, a raw \\r: records as before, a traceback's own indentation kept,
    printed indented and escaped."""
    from netbox_userscripts.log import tail as logtail

    path = tmp_path / "old.log"
    path.write_bytes(b"2026-11-01 10:00:00,000 INFO beta.py: before\n"
                     b"2026-11-01 10:00:01,000 ERROR beta.py: beta failed\n"
                     b"Traceback (most recent call last):\n"
                     b'  File "x.py", line 1, in <module>\n'
                     b"RuntimeError: kaput\n"
                     b"2026-11-01 10:00:02,000 INFO beta.py: x\rraw\n")
    (tmp_path / "old.log.1").write_bytes(f"2026-10-31 23:59:59,000 INFO beta.py: z\r{FORGED}\n".encode())
    backup, before, failed, raw = logtail.last(path, 10)
    assert (backup.script, backup.message) == ("beta", f"z\\r{FORGED}")  # a backup's \r read as text too
    assert before.message == "before" and before.extra == []
    assert failed.extra == ["Traceback (most recent call last):", '  File "x.py", line 1, in <module>',
                            "RuntimeError: kaput"]
    assert failed.text.splitlines()[1:] == ["  Traceback (most recent call last):",
                                            '    File "x.py", line 1, in <module>', "  RuntimeError: kaput"]
    assert failed.as_dict()["traceback"].endswith("RuntimeError: kaput")
    assert raw.message == "x\\rraw"
