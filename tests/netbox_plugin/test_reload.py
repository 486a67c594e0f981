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


def test_a_file_that_goes_live_is_one_line_per_worker_saying_which(nb):
    (nb.folder / "fresh.py").write_text("def call(**kwargs):\n    return 'fresh'\n")
    pattern = r"INFO fresh.py: fresh.py loaded: call\(\) \(web, pid (\d+)\)"
    pids = wait_for(lambda: len(found := re.findall(pattern, nb.log())) >= 2 and found, timeout=30)
    assert pids and len(pids) == len(set(pids)) == 2, nb.log()[-3000:]  # each worker once, none twice


def test_netbox_userscripts_writes_nothing_to_the_log(nb):
    (nb.folder / "broken.py").write_text("raise RuntimeError('cannot reach the NMS')\n")
    assert wait_for(lambda: nb.log().count("failed to load broken.py") == 2, timeout=30)  # the two workers
    before = nb.log()
    result = nb.manage("userscripts")
    assert result.returncode == 0 and "cannot reach the NMS" in result.stdout, result.stderr
    assert nb.log() == before
