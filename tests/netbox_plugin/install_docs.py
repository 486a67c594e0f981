"""The install steps of ``docs/netbox.md``, read from the page itself for ``test_wheel.py`` to try as written.

A tab of the page ("pip install netbox", "Source install") is the text indented under its
``=== "label"`` (MkDocs Material's content tabs); its fenced blocks are its steps. ``as_tried`` moves their
paths into a test's instance root and NetBox's virtualenv; ``unit`` reads what a systemd unit
starts, so the test starts what the adapted unit would.
"""
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PAGE = PROJECT / "docs" / "netbox.md"
PIP_TAB, SOURCE_TAB = "pip install netbox", "Source install"
DOCS_WHEEL_FOLDER = "/path/to/"
FENCE = re.compile(r"^(?P<indent> *)```(?P<language>\w+)(?P<attributes>.*)$")
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
# pymdownx.snippets' one-line include, as tests/test_docs.py reads it.
INCLUDE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(?P<target>.+?)\1[ \t]*$""")


@dataclass
class Block:
    language: str
    title: str
    text: str


def tab(label, page=PAGE):
    """The lines of the content tab ``label``, unindented: those indented under its ``=== "label"``."""
    lines, marker = page.read_text().splitlines(), f'=== "{label}"'
    if marker not in lines:
        raise AssertionError(f"{page} has no tab {marker}")
    inside = []
    for line in lines[lines.index(marker) + 1:]:
        if line and not line.startswith("    "):
            break
        inside.append(line[4:])
    return inside


def blocks(lines):
    """The fenced blocks of ``lines`` in order, an include (``--8<--``) replaced by the file it names."""
    found, at = [], 0
    while at < len(lines):
        opening = FENCE.match(lines[at])
        at += 1
        if not opening:
            continue
        indent, body = len(opening["indent"]), []
        while lines[at].strip() != "```":
            body.append(lines[at][indent:])
            at += 1
        at += 1
        included = INCLUDE.match(body[0]) if len(body) == 1 else None
        text = (PROJECT / included["target"]).read_text() if included else "\n".join(body) + "\n"
        title = TITLE.search(opening["attributes"])
        found.append(Block(opening["language"], title["title"] if title else "", text))
    return found


def as_tried(text, root, venv_bin, wheel):
    """``text`` with the page's paths made the test's: its instance root, NetBox's virtualenv, the built wheel.

    ``/var/tmp`` too (a unit's PID file; systemd gives each unit its own, ``PrivateTmp``), and
    the owner ``netbox:netbox`` is the test's own user: it runs as one user.
    """
    return (text.replace(DOCS_WHEEL_FOLDER + Path(wheel).name, str(wheel))
            .replace("/opt/netbox/venv/bin/", f"{venv_bin}/")
            .replace("/opt/netbox", str(root))
            .replace("/var/tmp/", f"{root}/")
            .replace("netbox:netbox", f"{os.getuid()}:{os.getgid()}"))


@dataclass
class Unit:
    """What a systemd unit starts: its ``WorkingDirectory``, ``Environment`` and ``ExecStart``."""

    directory: str
    environment: dict
    command: list


def unit(path):
    directory, environment, command = None, {}, None
    for line in Path(path).read_text().splitlines():
        key, _, value = line.partition("=")
        if key == "WorkingDirectory":
            directory = value
        elif key == "Environment":
            name, _, setting = value.partition("=")
            environment[name] = setting
        elif key == "ExecStart":
            command = shlex.split(value)
    return Unit(directory, environment, command)


# ``sudo`` for a test that runs as one user: the command itself, its options (``-u netbox``) dropped.
SHELL_PRELUDE = """set -eu
sudo() { while [ "${1#-}" != "$1" ]; do if [ "$1" = -u ]; then shift; fi; shift; done; "$@"; }
"""
