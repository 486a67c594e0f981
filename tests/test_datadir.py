"""``data/`` is private to its owner: 0700, the secret key and the SQLite file 0600, one key whoever starts first.

From outside: ``manage.py`` processes of a fresh copy of the sandbox (its ``data/`` is
``BASE_DIR/data``, beside the copy), then the files' modes on disk; and many processes on a
fresh ``data/`` at the same instant, which all get the one key.
"""
import multiprocessing
import os
import shutil
import stat
import subprocess

import pytest

from netbox import datadir
from netbox.datadir import private_file, private_folder, secret_key
from tests.project import PROJECT, environment


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def fresh_sandbox(tmp_path):
    """A copy of ``sandbox/`` (its tracked files) whose ``data/`` does not exist yet, and a configuration for it."""
    listing = ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "sandbox"]
    files = subprocess.run(listing, cwd=PROJECT, capture_output=True, check=True).stdout
    copy = tmp_path / "copy"
    for name in filter(None, files.decode().split("\0")):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, copy / name)
    (tmp_path / "userscripts").mkdir()
    config = tmp_path / "configuration.py"
    config.write_text(f"USERSCRIPTS_ROOT = {str(tmp_path / 'userscripts')!r}\n"
                      f"USERSCRIPTS_LOG_FILE = {str(tmp_path / 'logs' / 'userscripts.log')!r}\n")
    return copy, config


def manage(copy, config, *args):
    env = environment(config, PYTHONPATH=str(copy / "sandbox"), USERSCRIPTS_AUTORELOAD="0")
    return subprocess.Popen([str(PROJECT / ".venv" / "bin" / "python"), str(copy / "sandbox" / "manage.py"), *args],
                            cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process):
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err
    return out


def test_migrate_on_a_fresh_data_folder_makes_it_private(fresh_sandbox):
    copy, config = fresh_sandbox
    finished(manage(copy, config, "migrate", "--no-input"))
    data = copy / "data"
    assert mode(data) == 0o700
    assert mode(data / "secret_key") == 0o600 and len((data / "secret_key").read_text()) >= 50
    assert mode(data / "netbox.sqlite3") == 0o600 and (data / "netbox.sqlite3").stat().st_size > 0
    for journal in data.glob("netbox.sqlite3-*"):  # SQLite's -wal and -shm, if left
        assert mode(journal) == 0o600, journal


def test_processes_starting_at_once_share_one_key(fresh_sandbox):
    copy, config = fresh_sandbox
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    processes = [manage(copy, config, "shell", "-c", show) for _ in range(6)]
    keys = {finished(process).strip().splitlines()[-1] for process in processes}
    assert keys == {(copy / "data" / "secret_key").read_text()}


def test_an_earlier_install_readable_by_others_is_tightened(fresh_sandbox):
    copy, config = fresh_sandbox
    data = copy / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "secret_key").write_text("the-key-of-an-earlier-install\n")
    (data / "netbox.sqlite3").touch()
    for name in ("secret_key", "netbox.sqlite3"):
        os.chmod(data / name, 0o644)
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    assert finished(manage(copy, config, "shell", "-c", show)).splitlines()[-1] == "the-key-of-an-earlier-install"
    assert (mode(data), mode(data / "secret_key"), mode(data / "netbox.sqlite3")) == (0o700, 0o600, 0o600)


def _take_key(folder, barrier, answers):
    barrier.wait()
    answers.put(secret_key(folder / "secret_key"))


@pytest.mark.parametrize("attempt", range(10))
def test_a_key_race_has_one_winner(tmp_path, attempt):
    """Sixteen processes released together on a fresh folder, ten times: one key each time."""
    context = multiprocessing.get_context("fork")
    barrier, answers = context.Barrier(16), context.Queue()
    folder = private_folder(tmp_path / "data")
    racers = [context.Process(target=_take_key, args=(folder, barrier, answers)) for _ in range(16)]
    for racer in racers:
        racer.start()
    keys = {answers.get(timeout=30) for _ in racers}
    for racer in racers:
        racer.join(timeout=30)
    assert keys == {(folder / "secret_key").read_text()}


def test_an_empty_key_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(datadir, "KEY_WAIT", 0.1)
    private_file(tmp_path / "secret_key")
    with pytest.raises(datadir.ConfigurationError, match="secret_key is empty: delete it"):
        secret_key(tmp_path / "secret_key")
