"""Reading the log back: manage.py userscripts_log, the log API and the userscripts page."""
import subprocess
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from netbox_userscripts.log import central as log
from netbox_userscripts.log import tail as logtail
from tests.api_data import client_for, make_site
from tests.project import MANAGE, PROJECT


@pytest.fixture
def filled_log(central_log):
    alpha, beta = log.logger_for("alpha"), log.logger_for("beta")
    for i in range(30):
        alpha.info("alpha record %d", i)
    beta.warning("beta warns")
    try:
        raise RuntimeError("kaput")
    except RuntimeError:
        beta.exception("beta failed")
    alpha.debug("alpha detail")
    return central_log


def test_last_n_records(filled_log, capsys):
    call_command("userscripts_log", "-n", "3")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("WARNING beta.py: beta warns")
    assert lines[1].endswith("ERROR beta.py: beta failed")
    assert lines[2] == "  Traceback (most recent call last):"  # the traceback stays with its record, indented
    assert lines[3].startswith('    File "') and lines[-2] == "  RuntimeError: kaput"
    assert lines[-1].endswith("DEBUG alpha.py: alpha detail")


def test_script_and_level_filters(filled_log, capsys):
    call_command("userscripts_log", "--script", "alpha.py", "-n", "5")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5 and all(" alpha.py: " in line for line in lines)
    call_command("userscripts_log", "--level", "warning", "-n", "100")
    out = capsys.readouterr().out
    assert "beta warns" in out and "beta failed" in out and "RuntimeError: kaput" in out
    assert "alpha" not in out
    with pytest.raises(CommandError):
        call_command("userscripts_log", "--level", "LOUD")


def test_last_reads_backups(tmp_path):
    path = tmp_path / "u.log"
    try:
        log.configure(filename=str(path), max_size=500, backup_count=5)
        logger = log.logger_for("rotor")
        for i in range(30):
            logger.info("n=%02d %s", i, "z" * 30)
    finally:
        log.configure()
    assert (tmp_path / "u.log.2").exists()
    numbers = [int(r.message[2:4]) for r in logtail.last(path, 12)]
    assert numbers == list(range(18, 30))


def test_follow_across_rotation_prints_each_record_once(tmp_path):
    path = tmp_path / "f.log"
    seen, done = [], threading.Event()
    log.configure(filename=str(path), max_size=1500, backup_count=10)
    try:
        logger = log.logger_for("follower")
        logger.info("before following")

        def consume():
            for record in logtail.follow(path, script="follower", interval=0.01, stop=done.is_set):
                seen.append(record.message)

        thread = threading.Thread(target=consume)
        thread.start()
        time.sleep(0.1)
        for i in range(120):  # about ten rotations
            logger.info("after %03d %s", i, "w" * 40)
            if i % 10 == 0:
                time.sleep(0.03)
        deadline = time.monotonic() + 5
        while len(seen) < 120 and time.monotonic() < deadline:
            time.sleep(0.02)
        done.set()
        thread.join()
    finally:
        log.configure()
    assert (tmp_path / "f.log.5").exists()
    assert seen == [f"after {i:03d} {'w' * 40}" for i in range(120)]


def test_follow_command_in_a_process(central_log, tmp_path):
    """``--follow`` as a user runs it: records written after a rotation are printed, none twice."""
    config = tmp_path / "conf.py"
    root = tmp_path / "scripts"
    root.mkdir()
    config.write_text(f"USERSCRIPTS_ROOT = {str(root)!r}\nUSERSCRIPTS_LOG_FILE = {str(central_log)!r}\n"
                      "USERSCRIPTS_AUTORELOAD = False\n")
    env = {"NETBOX_CONFIGURATION": str(config), "PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}
    log.configure(filename=str(central_log), max_size=1000, backup_count=10)
    logger = log.logger_for("cli")
    logger.info("ready")
    proc = subprocess.Popen([*MANAGE, "userscripts_log", "-n", "1", "--follow"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().endswith("INFO cli.py: ready\n")  # it is following now
        for i in range(60):
            logger.info("line %02d %s", i, "q" * 30)
            time.sleep(0.005)
        time.sleep(1.0)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
        log.configure()
    assert (central_log.parent / (central_log.name + ".2")).exists()
    printed = [line.split(": ", 1)[1] for line in out.splitlines() if " cli.py: line" in line]
    assert printed == [f"line {i:02d} {'q' * 30}" for i in range(60)]


def test_log_api_and_page(filled_log, admin_client, client, django_user_model):
    first = admin_client.get("/api/userscripts/log/?script=beta&n=5").json()
    assert [r["message"] for r in first["records"]] == ["beta warns", "beta failed"]
    assert "RuntimeError: kaput" in first["records"][1]["traceback"]
    log.logger_for("beta").info("<script>alert(1)</script>")
    log.logger_for("alpha").info("not beta")
    nxt = admin_client.get(f"/api/userscripts/log/?script=beta&after={first['offset']}&file={first['file']}").json()
    assert [r["message"] for r in nxt["records"]] == ["<script>alert(1)</script>"]
    assert admin_client.get("/api/userscripts/log/?after=x").status_code == 400
    assert admin_client.get("/api/userscripts/log/?level=LOUD").status_code == 400
    page = admin_client.get("/userscripts/")
    assert page.status_code == 200 and b"/api/userscripts/log/" in page.content
    assert admin_client.get("/api/userscripts/").json()["count"] >= 0
    assert client.get("/api/userscripts/").status_code == 401
    client.force_login(django_user_model.objects.create_user("plain"))
    assert client.get("/api/userscripts/log/").status_code == 403
    assert client.get("/userscripts/").status_code == 403
    client.logout()
    response = client.get("/userscripts/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_modules_api_and_page_show_state(userscripts, admin_client):
    userscripts.write("ok.py", "def call(**kw):\n    return 'ok'\n")
    userscripts.write("bad.py", "raise ValueError('bad import')\n")
    userscripts.load()
    data = admin_client.get("/api/userscripts/").json()
    assert {m["name"]: m["state"] for m in data["results"]} == {"bad": "error", "ok": "loaded"}
    assert "ValueError: bad import" in data["results"][0]["traceback"]
    page = admin_client.get("/userscripts/").content.decode()
    assert "ValueError: bad import" in page and "/userscript/?script=ok" in page


def write_big_log(path, files=4, megabytes=3):
    """``path`` and ``files - 1`` backups of ``megabytes`` each, every record of the script ``noisy``."""
    line = "2026-12-07 10:00:00,000 INFO noisy.py: " + "n" * 200 + "\n"
    block = line * (megabytes * 1024 * 1024 // len(line))
    for number in range(files):
        target = path if number == 0 else path.with_name(f"{path.name}.{number}")
        with open(target, "a") as f:
            f.write(block)


def test_a_tail_that_matches_nothing_reads_a_bounded_number_of_bytes(tmp_path):
    path = tmp_path / "u.log"
    write_big_log(path)  # 12 MB
    budget = logtail.Budget(1024 * 1024)
    records, file_id, offset = logtail.tail(path, 20, script="quiet", budget=budget)
    assert records == [] and budget.exhausted
    assert budget.spent <= 1024 * 1024
    assert offset == path.stat().st_size and file_id == path.stat().st_ino  # following starts at the end still
    default = logtail.Budget()
    logtail.tail(path, 20, script="quiet", budget=default)
    assert default.spent <= logtail.TAIL_BUDGET < 12 * 1024 * 1024


def test_a_budget_cut_inside_a_record_leaves_that_record_out(tmp_path):
    path = tmp_path / "u.log"
    path.write_text("2026-12-07 10:00:00,000 ERROR a.py: first failed\nTraceback (most recent call last):\n"
                    + "  line\n" * 50 + "ValueError: x\n2026-12-07 10:00:01,000 INFO a.py: second\n")
    budget = logtail.Budget(200)  # the end of the traceback and the second record
    records, _, _ = logtail.tail(path, 5, budget=budget)
    assert [r.message for r in records] == ["second"] and budget.exhausted
    assert [r.message for r in logtail.tail(path, 5)[0]] == ["first failed", "second"]


def test_the_api_and_the_command_say_when_the_tail_stopped_short(central_log, admin_client, capsys):
    write_big_log(central_log, files=3, megabytes=3)
    answer = admin_client.get("/api/userscripts/log/?script=quiet").json()
    assert answer["records"] == [] and answer["complete"] is False
    assert "only the newest 4 MiB of the log were searched" in answer["note"]
    assert admin_client.get("/api/userscripts/log/?script=noisy&n=5").json()["complete"] is True
    call_command("userscripts_log", "--script", "quiet")
    assert "only the newest 4 MiB of the log were searched" in capsys.readouterr().err


FORGED = "2026-12-07 06:00:00,000 CRITICAL protect_active.py: forged"


@pytest.mark.django_db
def test_a_device_name_cannot_forge_a_record(userscripts, superuser, token_for, admin_client, capsys):
    """Issue 27.5, end to end: devices named to forge a record of protect_active, saved through the REST API and
    logged by the shipped change_log.py, are text of change_log's records in the file, the API and the command."""
    userscripts.load_files(PROJECT / "userscripts" / "change_log.py", PROJECT / "userscripts" / "protect_active.py")
    make_site()
    api = client_for(superuser, token_for)
    for name in (f"x\n{FORGED}", f"y\r{FORGED}"):
        created = api.post("/api/dcim/devices/", {"name": name, "site": {"slug": "dc1"}, "device_type":
                                                  {"model": "C9200"}, "role": {"slug": "access"}}, format="json")
        assert created.status_code == 201, created.content
    text = userscripts.log.read_bytes().decode()
    assert f" INFO change_log.py: device x\n  {FORGED} (site dc1) created: status=active\n" in text
    assert f" INFO change_log.py: device y\\r{FORGED} (site dc1) created: status=active\n" in text
    assert "\r" not in text and not any(line.startswith(FORGED) for line in text.split("\n"))

    assert admin_client.get("/api/userscripts/log/?script=protect_active").json()["records"] == []
    records = admin_client.get("/api/userscripts/log/?script=change_log").json()["records"]
    assert records[0]["message"] == "site dc1 created: status=active"
    assert [(r["level"], r["message"], r["traceback"]) for r in records[1:]] == [
        ("INFO", "device x", f"{FORGED} (site dc1) created: status=active"),
        ("INFO", f"device y\\r{FORGED} (site dc1) created: status=active", "")]

    call_command("userscripts_log", "--script", "protect_active")
    assert capsys.readouterr().out == ""
    call_command("userscripts_log", "--script", "change_log")
    out = capsys.readouterr().out
    assert out.endswith(f"device x\n  {FORGED} (site dc1) created: status=active\n"
                        f"{out.splitlines()[-1][:24]}INFO change_log.py: device y\\r{FORGED} (site dc1) created: "
                        "status=active\n")
    assert not any(line.startswith(FORGED) for line in out.splitlines())
