"""Hot reload with several server processes: each gunicorn worker reloads by itself."""
import time

import pytest
import requests

from tests.gunicorn import GUNICORN, serve, wait_until, write_atomically, write_configuration

SCRIPT = "import os\ndef call(**kwargs):\n    return f'{version} {{os.getpid()}}'\n"


@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")
def test_two_workers_each_reload(tmp_path):
    root = tmp_path / "scripts"
    root.mkdir()
    write_atomically(root / "which.py", SCRIPT.format(version="v1"))
    config = write_configuration(tmp_path, root, anonymous_calls=["which"])
    with serve(config, workers=2) as base:
        url = f"{base}/userscript/?script=which"

        def answers(count):
            return [requests.get(url, timeout=5, headers={"Connection": "close"}).text for _ in range(count)]

        wait_until(lambda: requests.get(url, timeout=2).text.startswith("v1"))
        time.sleep(0.5)  # both workers up
        write_atomically(root / "which.py", SCRIPT.format(version="v2"))
        time.sleep(1.0)  # the contract: within one second, in every process
        after = answers(40)
        while len({a.split()[1] for a in after}) < 2 and len(after) < 400:
            after += answers(20)  # until both workers have answered
        assert all(a.startswith("v2 ") for a in after), after
        assert len({a.split()[1] for a in after}) == 2  # both workers answered, both reloaded
