"""Hot reload in every gunicorn worker of a NetBox, and one central log written by all of them."""
import os
import re
import sys
from pathlib import Path

from conftest import wait_for

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SERVER_COMMAND = [GUNICORN, "--workers", "2", "--threads", "1", "--bind", "127.0.0.1:{port}", "--timeout", "120",
                  "netbox.wsgi"]

USERSCRIPTS = {
    "version.py": '''
        import os


        def call(**kwargs):
            logger.info("version 1 answered in %s", os.getpid())
            return f"1 {os.getpid()}"
    ''',
}


def answers(nb, rounds=40):
    """``{pid: version}`` of the workers that answered ``rounds`` calls."""
    seen = {}
    for _ in range(rounds):
        version, pid = nb.api("GET", "/userscript/?script=version").text.split()
        seen[pid] = version
    return seen


def test_every_worker_reloads_a_changed_userscript(nb):
    first = wait_for(lambda: len(s := answers(nb)) == 2 and s, timeout=60)
    assert first and set(first.values()) == {"1"}, f"two workers should answer: {first}"
    source = (nb.folder / "version.py").read_text().replace('"version 1', '"version 2').replace('f"1 ', 'f"2 ')
    (nb.folder / "version.py").write_text(source)
    both = wait_for(lambda: (s := answers(nb)) and set(s) >= set(first) and set(s.values()) == {"2"} and s,
                    timeout=30)
    assert both, f"both workers should answer with version 2: {answers(nb)}"
    log = nb.log()
    pids = set(re.findall(r"version 2 answered in (\d+)", log)) | set(re.findall(r"version 1 answered in (\d+)", log))
    assert pids >= set(first), "the central log holds the lines of both workers"
    assert os.path.exists(nb.log_path) and not list(nb.log_path.parent.glob("*.log.*"))
