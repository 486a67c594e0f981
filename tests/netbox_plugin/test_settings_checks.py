"""A wrong plugin setting is one line naming it, from ``netbox check``, ``migrate`` and the server; never a crash.

The module's own NetBox runs on good settings; each test runs NetBox's commands in new
processes on the same database with one setting made wrong (``NBTEST_*`` in the environment,
read by ``configuration.py``).
"""
import json
import subprocess

import requests
from conftest import MANAGE, Server, free_port, wait_for

USERSCRIPTS = {"hello.py": "def call(**kwargs):\n    return 'hello'\n"}


def netbox(nb, *args, timeout=300, **env):
    """``netbox ARGS`` with the environment changed by ``env``; its output, stderr after stdout."""
    return subprocess.run([*MANAGE, *args], env={**nb.env, **env}, cwd=nb.env["NETBOX_ROOT"], capture_output=True,
                          text=True, timeout=timeout)


def our_lines(output):
    return [line for line in output.splitlines() if "netbox_userscripts" in line]


def test_an_uncreatable_root_is_one_line_from_netbox_check(nb):
    result = netbox(nb, "check", NBTEST_USERSCRIPTS_ROOT="/proc/no-such-folder/userscripts")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert ('(netbox_userscripts.E001) PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_ROOT"] '
            "/proc/no-such-folder/userscripts does not exist and cannot be created") in output, output


def test_a_wrong_type_stops_migrate_with_one_line(nb):
    settings = json.dumps({"USERSCRIPTS_LOG_MAX_SIZE": "10MB", "USERSCRIPTS_LOG_LEVEL": "loud"})
    result = netbox(nb, "migrate", NBTEST_PLUGIN_SETTINGS=settings)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert ('PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_LOG_MAX_SIZE"] must be of type int, '
            "got str '10MB'.") in output
    assert 'PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_LOG_LEVEL"] must be one of' in output


def test_a_missing_required_setting_is_one_line(nb):
    result = netbox(nb, "check", NBTEST_PLUGIN_SETTINGS=json.dumps({"USERSCRIPTS_LOG_FILE": None}))
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert 'PLUGINS_CONFIG["netbox_userscripts"]["USERSCRIPTS_LOG_FILE"] is required: an absolute path.' in output


def test_an_unknown_setting_is_a_warning_and_the_check_passes(nb):
    result = netbox(nb, "check", NBTEST_PLUGIN_SETTINGS=json.dumps({"USERSCRIPTS_ROOOT": "/opt/x"}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(netbox_userscripts.W001)" in result.stderr and "'USERSCRIPTS_ROOOT'" in result.stderr


def test_the_server_stops_with_the_line_not_a_traceback(nb):
    result = netbox(nb, "runserver", "--noreload", f"127.0.0.1:{free_port()}", timeout=120,
                    NBTEST_USERSCRIPTS_ROOT="/proc/no-such-folder/userscripts")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output and "watchdog" not in output
    assert any('["USERSCRIPTS_ROOT"] /proc/no-such-folder/userscripts does not exist' in line
               for line in our_lines(output)), output


def test_a_missing_root_is_created_and_the_server_starts(nb, tmp_path):
    root = tmp_path / "not-yet" / "userscripts"
    env = {**nb.env, "NBTEST_USERSCRIPTS_ROOT": str(root), "NBTEST_SERVER_LOG": str(tmp_path / "server.log")}
    server = Server(env)
    try:
        assert root.is_dir()
        assert f"USERSCRIPTS_ROOT {root} did not exist: created it (empty)" in nb.log()
        (root / "hi.py").write_text("def call(**kwargs):\n    return 'hi'\n")
        call = f"{server.url}/userscript/?script=hi"
        answer = wait_for(lambda: (r := requests.get(call, headers={"Authorization": nb.tokens["v1"]}, timeout=30)
                                   ).status_code == 200 and r, timeout=30)
        assert answer and answer.text.strip() == "hi"
    finally:
        server.stop()
