"""Reading the central log back: records, the last N of them, and following across rotations.

A record is a header line (``2026-11-22 14:03:07,123 INFO my_script.py: message``) and
the continuation lines after it (the rest of a multi-line message, a traceback), which
``central`` writes indented (``lines``). A line is a header only when it is not indented
and matches ``HEADER``: a header inside a message is text of the record that logged it.
Lines are split at ``\n`` only and read with their control characters escaped, so a file
written by an older version (continuation lines not indented, raw ``\r``) is read as well
as it can be and printed safely. Used by ``manage.py userscripts_log``, the log API and the
userscripts pages (this project's and NetBox's).
"""

__all__ = ["Record", "parse", "last", "tail", "follow", "read_from", "end_of", "rotated_files"]

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from netbox_userscripts.log import lines

HEADER = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) (?P<level>[A-Z]+) (?P<script>[^:\s]+)\.py: (?P<message>.*)$"
)


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
        if script and self.script != script:
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


def tail(path, n=20, script=None, level=None):
    """``(records, file_id, offset)``: the last ``n`` matching records and where to follow from.

    The current file is read once, so following from the returned position neither
    repeats nor skips a record written meanwhile.
    """
    files = rotated_files(path)
    if not files:
        return [], None, 0
    file_id = files[0].stat().st_ino
    text, offset = _read_lines(files[0], 0, None)
    found = [r for r in parse(text) if r.matches(script, level)]
    for file in files[1:]:
        if len(found) >= n:
            break
        records = parse(file.read_bytes().decode("utf-8", errors="replace"))  # a raw \r stays in its line
        found = [r for r in records if r.matches(script, level)] + found
    return (found[-n:] if n else []), file_id, offset


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
