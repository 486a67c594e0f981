"""Reading the central log back: records, the last N of them, and following across rotations.

A record is a header line (``2026-11-22 14:03:07,123 INFO my_script.py: message``) and
the continuation lines after it (the rest of a multi-line message, a traceback), which
``central`` writes indented (``lines``). A line is a header only when it is not indented
and matches ``HEADER``: a header inside a message is text of the record that logged it.
Lines are split at ``\n`` only and read with their control characters escaped, so a file
written by an older version (continuation lines not indented, raw ``\r``) is read as well
as it can be and printed safely. Used by ``manage.py userscripts_log``, the log API and the
userscripts pages (this project's and NetBox's).

The last records are read from the end of the log backwards, file by file, within a
``Budget`` of bytes (``TAIL_BUDGET``): a filter that matches little answers from the newest
few MiB instead of reading every backup, and says it did not search them all.
"""

__all__ = ["Record", "Budget", "unsearched_note", "parse", "last", "tail", "follow", "read_from", "end_of",
           "rotated_files"]

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from netbox_userscripts.log import lines

HEADER = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<level>[A-Z]+) (?P<script>[^:\s]+)\.py: (?P<message>.*)$"
)


TAIL_BUDGET = 4 * 1024 * 1024  # bytes a tail reads at most (parsing 4 MiB takes about half a second)


class Budget:
    """The bytes one ``tail`` may read; afterwards, how many it read and whether it stopped short."""

    def __init__(self, max_bytes=TAIL_BUDGET):
        self.max_bytes = max_bytes
        self.spent = 0
        self.exhausted = False  # older records were left unread

    @property
    def left(self):
        return max(self.max_bytes - self.spent, 0)


@dataclass
class Record:
    time: str
    level: str
    script: str
    message: str
    extra: list = field(default_factory=list)  # the continuation lines, without their indentation

    @property
    def text(self):
        """The record as the file has it: its further lines indented, so a printed record stays one record."""
        head = f"{self.time} {self.level} {self.script}.py: {self.message}" if self.time else self.message
        return "\n".join([head, *lines.indented(self.extra)])

    def matches(self, script=None, level=None):
        """Whether the record is of ``script`` (a name, or a collection of names) at ``level`` or above."""
        if script and self.script not in ((script,) if isinstance(script, str) else script):
            return False
        if level and logging.getLevelName(self.level) < logging.getLevelName(level.upper()):
            return False
        return True

    def as_dict(self):
        return {"time": self.time, "level": self.level, "script": self.script, "message": self.message,
                "traceback": "\n".join(self.extra)}


def parse(text):
    """Split text into records; leading lines without a header form a record of their own."""
    records = []
    for line in lines.split(text.removesuffix("\n")) if text else ():
        line = lines.escape(line)
        match = None if line.startswith(lines.CONTINUATION) else HEADER.match(line)
        if match:
            records.append(Record(**match.groupdict()))
        elif records:
            records[-1].extra.append(line)
        else:
            records.append(Record(time="", level="", script="", message=line))
    for record in records:
        record.extra = _unindented(record.extra)
    return records


def _unindented(extra):
    """A record's continuation lines without the indentation, when all have it; an older version's
    (a traceback written as it came) keep theirs, so its own indentation is not cut."""
    if all(line.startswith(lines.CONTINUATION) for line in extra):
        return [line[len(lines.CONTINUATION):] for line in extra]
    return extra


def rotated_files(path):
    """The log and its backups, newest first: ``x.log``, ``x.log.1``, ``x.log.2``, ..."""
    path = Path(path)
    files = [path] if path.exists() else []
    number = 1
    while Path(f"{path}.{number}").exists():
        files.append(Path(f"{path}.{number}"))
        number += 1
    return files


def last(path, n=20, script=None, level=None):
    """The last ``n`` records matching the filters, oldest first, reading backups when needed."""
    return tail(path, n, script, level)[0]


def tail(path, n=20, script=None, level=None, budget=None):
    """``(records, file_id, offset)``: the last ``n`` matching records and where to follow from.

    Read from the end, within ``budget`` (a ``Budget``; by default ``TAIL_BUDGET`` bytes):
    ``budget.exhausted`` says whether older records were left unread. The current file's end
    is read once, so following from the returned position neither repeats nor skips a record
    written meanwhile.
    """
    budget = budget or Budget()
    if n <= 0:  # only where to follow from (a page's first read): nothing to read
        return [], *end_of(path)
    files = rotated_files(path)
    if not files:
        return [], None, 0
    file_id, offset, found = files[0].stat().st_ino, None, []
    for file in files:
        if len(found) >= n:
            break
        if not budget.left:
            budget.exhausted = True
            break
        text, end, whole = _read_end(file, budget)
        offset = end if offset is None else offset
        records = parse(text)
        if not whole:  # cut inside a record: its first lines are in the part left unread
            budget.exhausted = True
            records = records[1:] if records and not records[0].time else records
        found = [r for r in records if r.matches(script, level)] + found
        if not whole:
            break
    budget.exhausted = budget.exhausted and len(found) < n  # what was left unread was not needed
    return (found[-n:] if n else []), file_id, offset


def unsearched_note(budget):
    """What to tell a reader whose ``tail`` stopped at its budget."""
    return (f"fewer records than asked: only the newest {budget.spent // (1024 * 1024)} MiB of the log were searched; "
            "older records were not read (narrow the filter, or read the rotated files).")


def _read_end(path, budget):
    """``(text, offset, whole)``: the complete lines at the end of ``path``, at most ``budget.left`` bytes.

    ``offset`` is the end of the last complete line; ``whole`` whether the text starts at the file's start.
    """
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        start = max(size - budget.left, 0)
        f.seek(start)
        data = f.read(size - start)
    budget.spent += len(data)
    end = data.rfind(b"\n") + 1  # a line still being written is read next time
    first = 0 if start == 0 else data.find(b"\n", 0, end) + 1  # a line cut in two is left out
    return data[first:end].decode("utf-8", errors="replace"), start + end, start == 0


def read_from(path, file_id=None, offset=0, max_bytes=1 << 20):
    """Read complete lines written after ``offset`` of the file ``file_id`` (an inode number).

    Returns ``(text, file_id, offset)`` for the next call. When the file was rotated since
    the caller's last read, the rest of the old file (found among the backups by its inode)
    is returned first, then any newer backups, then the new file from its start; nothing
    is returned twice and, unless the backups rolled off in between, nothing is skipped.
    """
    path = Path(path)
    try:
        current = path.stat()
    except FileNotFoundError:
        return "", file_id, offset
    chunks = []
    if file_id is not None and file_id != current.st_ino:
        # Rotated since: the rest of the old file, then every newer backup, then the new file.
        backups = rotated_files(path)[1:]
        index = next((i for i, f in enumerate(backups) if f.stat().st_ino == file_id), None)
        if index is not None:
            chunks.append(_read_lines(backups[index], offset, None)[0])
            chunks.extend(_read_lines(f, 0, None)[0] for f in reversed(backups[:index]))
        offset = 0
    elif file_id is None or offset > current.st_size:  # first read, or the file was truncated
        offset = 0
    text, offset = _read_lines(path, offset, max_bytes)
    chunks.append(text)
    return "".join(chunks), current.st_ino, offset


def end_of(path):
    """``(file_id, offset)`` of the end of the log now: follow from here to see only new records."""
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return None, 0
    return stat.st_ino, stat.st_size


def _read_lines(path, offset, max_bytes):
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(-1 if max_bytes is None else max_bytes)
    end = data.rfind(b"\n") + 1  # a line still being written is read next time
    return data[:end].decode("utf-8", errors="replace"), offset + end


def follow(path, script=None, level=None, interval=0.25, stop=None, position=None):
    """Yield matching records as they are written, across rotations, like ``tail -F``.

    ``position`` is a ``(file_id, offset)`` from ``tail``; by default, the end of the log now.
    """
    file_id, offset = position or end_of(path)
    while stop is None or not stop():
        text, file_id, offset = read_from(path, file_id, offset)
        if text:
            for record in parse(text):
                if record.matches(script, level):
                    yield record
        else:
            time.sleep(interval)
