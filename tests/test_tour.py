"""README.md's five-minute tour, run as written against a real server, so that it cannot drift.

The tour is the section of README.md between ``--8<-- [start:tour]`` and ``[end:tour]``
(docs/getting-started.md includes it). The test does what a user does after ``make run``:

- a server (gunicorn) and a task worker on a free port, with a data folder of their own: a
  copy of this session's migrated SQLite test database, the shipped ``userscripts/``, a log
  file; ``loaddemo --if-empty`` and ``ensure_admin`` as ``make run`` runs them;
- a ``python title="userscripts/NAME.py"`` block is written into the userscripts folder when
  NAME is not shipped (the user's own file), and is an excerpt of the shipped file otherwise:
  each of its lines but ``...`` must be in that file;
- every command of every ``sh`` block runs with ``bash`` from the repository's top, in order,
  ``$TOKEN`` exported and the port ``8000`` replaced by the server's, one command at a time (a
  command starts on a line that is not indented; indented lines continue it), the task queue
  emptied between two commands as it is while a user types. Following commands (``tail -F``,
  ``--follow``) are left out. A ``curl`` answering 4xx or 5xx fails the test unless its
  answer is shown in the block after;
- a ``text`` block right after an ``sh`` block is what the tour promises: a line shaped as a
  central log line must be in the log by the end, any other line in the block's output.
  Run ids, times, durations and ``host:pid`` of workers may differ;
- every page the tour's prose links to answers the admin's session.
"""
import os
import re
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.gunicorn import serve, wait_until, write_configuration
from tests.project import MANAGE, PROJECT, environment

README = PROJECT / "README.md"
SHIPPED = PROJECT / "userscripts"
TOUR = re.compile(r"--8<-- \[start:tour\][^\n]*\n(?P<tour>.*?)\n[^\n]*--8<-- \[end:tour\]", re.DOTALL)
BLOCK = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?=[A-Z]+ \S+: )")
VARYING = [  # (what differs from run to run, what it becomes on both sides)
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<id>"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"), "<time>"),
    (re.compile(r"\b[A-Za-z][\w.-]*:\d+\b"), "<worker>"),
    (re.compile(r"\b\d+(?:\.\d+)? s\b"), "<n> s"),
]
# Each curl also writes its HTTP status to stderr, as "HTTP 200", for the test to check.
CURL = "curl() { command curl -sS -w '%{stderr}HTTP %{http_code}\\n' \"$@\"; }\n"
PLACEHOLDER_PORT = "127.0.0.1:8000"

pytestmark = [
    pytest.mark.skipif(not (PROJECT / ".venv" / "bin" / "python").exists(), reason="the tour runs .venv/bin/python"),
    pytest.mark.skipif(bool(os.environ.get("USERSCRIPTS_TEST_POSTGRES")),
                       reason="the tour runs on an SQLite file, as make run does"),
]


def normalize(line):
    line = LOG_LINE.sub("", line.strip())
    for pattern, replacement in VARYING:
        line = pattern.sub(replacement, line)
    return line


def tour_blocks():
    """The tour's fenced blocks in order, as (language, title, body)."""
    match = TOUR.search(README.read_text())
    assert match, "README.md has no section between `--8<-- [start:tour]` and `--8<-- [end:tour]`"
    blocks = []
    for block in BLOCK.finditer(match["tour"]):
        language, _, rest = block["info"].strip().partition(" ")
        title = re.search(r'title="([^"]+)"', rest)
        blocks.append((language, title[1] if title else None, block["body"]))
    return match["tour"], blocks


def commands(body):
    """The commands of an ``sh`` block: a line that is not indented starts one, indented lines continue it."""
    found = []
    for line in body.splitlines():
        if line[:1].isspace() and found:
            found[-1] += "\n" + line
        elif line.strip() and not line.lstrip().startswith("#"):
            found.append(line)
    return found


class Tour:
    def __init__(self, tmp_path, database):
        self.root = tmp_path / "userscripts"
        self.root.mkdir()
        for path in SHIPPED.glob("*.py"):
            (self.root / path.name).write_text(path.read_text())
        self.database = tmp_path / "db.sqlite3"
        self.log = tmp_path / "u.log"
        source = sqlite3.connect(database)
        with sqlite3.connect(self.database) as copy:
            source.backup(copy)
        source.close()
        self.config = write_configuration(tmp_path, self.root, extra="LOGIN_REQUIRED = True\n")
        self.env = environment(self.config)
        self.env.pop("TOKEN", None)
        self.env.pop("USERSCRIPTS_ADMIN_PASSWORD", None)  # the tour logs in with the password ensure_admin prints

    def manage(self, *args):
        done = subprocess.run([*MANAGE, *args], cwd=PROJECT, env=self.env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def state(self, script):
        modules = requests.get(f"{self.base}/api/userscripts/", headers=self.headers, timeout=5).json()["results"]
        return next((module["state"] for module in modules if module["name"] == script), None)

    def queue_empty(self):
        with sqlite3.connect(self.database, timeout=20) as db:
            return db.execute("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                              "WHERE status IN ('READY', 'RUNNING')").fetchone()[0] == 0

    def wait_for_queue(self):
        wait_until(self.queue_empty, timeout=20, message="the task worker left runs in the queue")


@pytest.fixture
def tour(tmp_path, db):
    # db: this session's test database exists and is migrated; its file is copied (it is empty).
    settings = connection.settings_dict
    if not settings["ENGINE"].endswith("sqlite3"):
        pytest.skip("the tour runs on an SQLite file, as make run does")
    tour = Tour(tmp_path, settings["NAME"])
    tour.manage("loaddemo", "--if-empty")
    admin = tour.manage("ensure_admin")
    token, tour.password = re.search(r"API token: (\w+)", admin)[1], re.search(r"password: +(\S+)", admin)[1]
    worker = subprocess.Popen([*MANAGE, "userscripts_worker", "--interval", "0.2"], cwd=PROJECT, env=tour.env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        with serve(tour.config) as base:
            tour.base, tour.token = base, token
            tour.headers = {"Authorization": f"Token {token}"}
            wait_until(lambda: requests.get(f"{base}/api/status/", headers=tour.headers, timeout=5).ok)
            yield tour
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=15)


def test_the_tour_works_as_written(tour):
    prose, blocks = tour_blocks()
    port = tour.base.removeprefix("http://")
    env = {**tour.env, "TOKEN": tour.token}
    promised_log, ran = [], 0
    for i, (language, title, body) in enumerate(blocks):
        if language == "python" and title:
            write_or_check_file(tour, title, body)
        if language != "sh":
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) and blocks[i + 1][0] == "text" else None
        expected = following[2].replace(PLACEHOLDER_PORT, port).splitlines() if following else []
        promised_log += [normalize(line) for line in expected if LOG_LINE.match(line)]
        answers = [normalize(line) for line in expected if line.strip() and not LOG_LINE.match(line)]
        output = []
        for command in commands(body):
            if command.startswith("export TOKEN="):
                continue  # the user's token, which the test exports itself
            if command.startswith("tail -F") or "--follow" in command:
                continue  # follows for ever
            output += run(command.replace(PLACEHOLDER_PORT, port), env, answers)
            ran += 1
            tour.wait_for_queue()
        missing = [line for line in answers if line not in map(normalize, output)]
        assert not missing, f"the tour promises {missing} from\n{body}\nwhich printed\n" + "\n".join(output)
    assert ran >= 8, f"only {ran} commands found in the tour"

    log = [normalize(line) for line in tour.log.read_text().splitlines()]
    missing = [line for line in promised_log if line not in log]
    assert not missing, f"the tour promises log lines that are not in the log: {missing}"

    # Step 7: both ways of running the job create C9200-48P switches.
    for site in ("branch-42", "branch-43"):
        devices = requests.get(f"{tour.base}/api/dcim/devices/?site={site}", headers=tour.headers, timeout=10).json()
        assert [d["device_type"]["model"] for d in devices["results"]] == ["C9200-48P", "C9200-48P"], site

    check_pages(tour, prose, port)


def write_or_check_file(tour, title, body):
    path = Path(title)
    assert path.parent == Path("userscripts"), f"a tour's file is in userscripts/: {title}"
    shipped = SHIPPED / path.name
    if not shipped.exists():  # the user's own file: write it, and wait until the server has loaded it
        (tour.root / path.name).write_text(body)
        wait_until(lambda: tour.state(path.stem) == "loaded", timeout=10, message=f"{title} was not loaded")
        return
    source = {line.strip() for line in shipped.read_text().splitlines()}
    missing = [line for line in body.splitlines() if line.strip() not in source | {"", "..."}]
    assert not missing, f"the tour's excerpt of {title} has lines the file has not: {missing}"


def run(command, env, answers):
    done = subprocess.run(["bash", "-c", CURL + command], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"{command}\nexited {done.returncode}:\n{done.stdout}{done.stderr}"
    statuses = [int(code) for code in re.findall(r"^HTTP (\d{3})$", done.stderr, re.MULTILINE)]
    if "curl " in command:
        assert statuses, f"{command}\ngot no answer:\n{done.stderr}"
    if any(status >= 400 for status in statuses):
        assert normalize(done.stdout) in answers, (
            f"{command}\nanswered {statuses} with\n{done.stdout}\nwhich the tour does not show")
    return done.stdout.splitlines()


def check_pages(tour, prose, port):
    """Every page the prose names answers the admin's session (the admin's change page of a demo device too)."""
    urls = sorted(set(re.findall(rf"http://{re.escape(PLACEHOLDER_PORT)}/[^\s)`,]*", BLOCK.sub("", prose))))
    assert urls, "the tour names no page"
    session = requests.Session()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', session.get(f"{tour.base}/login/", timeout=10).text)
    logged_in = session.post(f"{tour.base}/login/", timeout=10, headers={"Referer": f"{tour.base}/login/"},
                             data={"csrfmiddlewaretoken": csrf[1], "username": "admin", "password": tour.password})
    assert logged_in.ok and "/login/" not in logged_in.url, "the admin could not log in"
    for url in urls:
        response = session.get(url.replace(PLACEHOLDER_PORT, port), timeout=10)
        # Not redirected either: the admin sends a missing object's change page to its index.
        assert response.status_code == 200 and not response.history, f"{url}: {response.status_code} {response.url}"
