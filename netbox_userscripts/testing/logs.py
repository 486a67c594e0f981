"""The records a userscript wrote to the central log, read back from the file, by level.

``central.configure`` points the log at a file of the test's own (``LogUnderTest``), so each
test reads only its own records and the instance's log is left alone.
"""
from dataclasses import dataclass

from netbox_userscripts.log import central
from netbox_userscripts.log.tail import parse


@dataclass
class UserscriptLog:
    """The records of one module: ``records`` (``time``, ``level``, ``message``, ``extra``), ``messages(level)``."""

    records: list

    def messages(self, level=None):
        """The messages, of ``level`` ("INFO", "warning", ...) only when given."""
        return [r.message for r in self.records if level is None or r.level == level.upper()]

    @property
    def errors(self):
        return self.messages("ERROR")

    @property
    def warnings(self):
        return self.messages("WARNING")

    @property
    def infos(self):
        return self.messages("INFO")

    @property
    def text(self):
        """The records as the file has them (a traceback's lines included)."""
        return "\n".join(record.text for record in self.records)


class LogUnderTest:
    """The central log, written to ``path`` for the test; ``restore()`` reopens the configured file."""

    def __init__(self, path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        central.configure(filename=str(path))

    def __call__(self, name):
        """The records of the userscript ``name`` (without ``.py``)."""
        text = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        return UserscriptLog([record for record in parse(text) if record.script == name])

    def restore(self):
        central.configure()
