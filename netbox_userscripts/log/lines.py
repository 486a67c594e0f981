"""How one record becomes lines that no message can turn into another record.

A record is its header line (``2026-11-22 14:03:07,123 INFO my_script.py: message``) and,
for a multi-line message or a traceback, continuation lines, each indented by
``CONTINUATION``. A header starts with a digit, so a continuation line can never read as
a header, whatever the message says: a device named ``x\\n2026-12-07 06:00:00,000 CRITICAL
protect_active.py: forged`` is written as the record of the script that logged it::

    2026-12-07 06:00:00,000 INFO change_log.py: device x
      2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged (site ams1) created: status=active

Control characters other than the tab (a ``\\r`` that would return a terminal to the start
of the line, escape sequences) and the Unicode line and paragraph separators (which some
readers split lines at) are written escaped (``\\r``, ``\\x1b``, ``\\u2028``), so only a
``\\n`` ends a line and it is always followed by the indentation. The file (``central``),
the stream's text (``stream``) and the parser (``tail``) share these rules.
"""
import re

CONTINUATION = "  "  # a header starts with the date's digit, never with a space

# Every C0/C1 control but tab and newline; the line and paragraph separators; the marks that
# reorder text in a terminal or a browser (bidirectional overrides and isolates).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match):
    char = match.group()
    if char == "\r":
        return "\\r"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text):
    """``text`` with every unsafe character (see the module) written as its escape; newlines kept."""
    return _UNSAFE.sub(_escaped, text)


def split(text):
    """The lines of ``text``: split at ``\\n`` only (``str.splitlines`` would also split at ``\\x85``,
    ``\\u2028``, ... inside a line), ``\\r\\n`` read as ``\\n``."""
    return text.replace("\r\n", "\n").split("\n")


def indented(lines):
    """Continuation lines as written: each one indented."""
    return [CONTINUATION + line for line in lines]


def record_text(first_line, more_lines=()):
    """One record's text: ``first_line`` (the header), then ``more_lines`` as continuation lines, all escaped
    (a newline inside one of them too: a header's field read from elsewhere cannot start a line)."""
    return "\n".join([_one_line(first_line), *indented(_one_line(line) for line in more_lines)])


def _one_line(text):
    return escape(text).replace("\n", "\\n")


def as_record(text):
    """``text`` (a formatted record, maybe of many lines) as one record's lines: escaped, the rest indented."""
    if "\n" not in text:  # nearly every record: one scan, no copies
        return escape(text)
    first, *rest = split(text)
    return record_text(first, rest)
