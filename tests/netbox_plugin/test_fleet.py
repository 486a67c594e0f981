"""Userscripts from a NetBox data source (``USERSCRIPTS_DATA_SOURCE``), NetBox's runserver and rqworker.

NetBox's own sync job, run by ``rqworker``, fetches a local data source; its end records the
files as the version to run; the server and the worker both move to it within 5 s and say
so in the process table; a version that does not import keeps the last good one everywhere
and says why.
"""
import json

import pytest
from conftest import processes_on_the_recorded_version, wait_for

PLUGIN_SETTINGS = {"USERSCRIPTS_DATA_SOURCE": "userscripts"}
WHICH = 'import os\n\nVERSION = "{version}"\n\n\ndef call(**kwargs):\n    return f"{{VERSION}} {{os.getpid()}}"\n'
PROCESSES = "/api/plugins/userscripts/processes/"


@pytest.fixture(scope="module")
def source(nb, tmp_path_factory):
    folder = tmp_path_factory.mktemp("data-source")
    created = nb.api("POST", "/api/core/data-sources/", json={
        "name": "userscripts", "type": "local", "source_url": f"file://{folder}"})
    assert created.status_code == 201, created.text
    return folder, created.json()["id"]


def synced_by_netbox(nb, source_id, recorded=True):
    """Ask NetBox to sync the data source (a job for rqworker) and wait until that job ended and (``recorded``)
    its files are the recorded version.

    NetBox marks its sync completed, then sends post_sync, whose receiver tries the files in a process of its
    own (a NetBox start-up: seconds on a busy machine) before it records them.
    """
    before = nb.api("GET", f"/api/core/data-sources/{source_id}/").json()["last_synced"]
    version = nb.api("GET", PROCESSES).json()["recorded"]
    answer = nb.api("POST", f"/api/core/data-sources/{source_id}/sync/")
    assert answer.status_code == 200, answer.text

    def done():
        row = nb.api("GET", f"/api/core/data-sources/{source_id}/").json()
        return row["status"]["value"] == "completed" and row["last_synced"] != before

    assert wait_for(done, timeout=120), "NetBox's sync job did not complete"
    if recorded:
        assert wait_for(lambda: nb.api("GET", PROCESSES).json()["recorded"] != version, timeout=60), \
            nb.api("GET", PROCESSES).json()


def answer(nb):
    return nb.api("GET", "/userscript/?script=which").text  # "VERSION pid"


def test_netbox_sync_of_the_data_source_is_the_version_every_process_runs(nb, rqworker, source):
    folder, source_id = source
    (folder / "which.py").write_text(WHICH.format(version="v1"))
    synced_by_netbox(nb, source_id)
    assert wait_for(lambda: answer(nb).startswith("v1 "), timeout=5), answer(nb)

    (folder / "which.py").write_text(WHICH.format(version="v2"))
    synced_by_netbox(nb, source_id)
    assert wait_for(lambda: answer(nb).startswith("v2 "), timeout=5), answer(nb)
    assert (nb.folder / "which.py").read_text() == WHICH.format(version="v2")  # materialised into the root

    table = wait_for(lambda: processes_on_the_recorded_version(nb, rqworker), timeout=10)
    assert table, nb.api("GET", PROCESSES).json()
    assert table["sync"]["source"] == "datasource" and table["sync"]["data_source"] == "userscripts"

    (folder / "which.py").write_text("def call(:\n")
    synced_by_netbox(nb, source_id, recorded=False)
    # NetBox marks its sync completed, then sends post_sync, whose receiver tries the files: wait for it.
    status = wait_for(lambda: (s := nb.api("GET", PROCESSES).json()) and "does not import" in s["sync"]["error"] and s,
                      timeout=60)
    assert status and status["recorded"] == table["recorded"], nb.api("GET", PROCESSES).json()
    assert answer(nb).startswith("v2 ")
    again = nb.manage("userscripts_sync")
    assert again.returncode == 1 and f"keeping {table['recorded'][:12]}" in again.stderr, again.stderr
    assert "Traceback" not in again.stderr


def test_a_data_source_that_does_not_exist_or_was_never_synced_is_named(nb):
    from core.models import DataSource

    from netbox_userscripts.fleet.gitsource import SourceError
    from netbox_userscripts.fleet.origin import DataSourceOrigin
    from netbox_userscripts.netbox_plugin.datasource import read

    with pytest.raises(SourceError, match="NetBox has no data source named 'nowhere'"):
        read(DataSourceOrigin("nowhere"))
    DataSource.objects.create(name="fresh", type="local", source_url="file:///tmp")
    with pytest.raises(SourceError, match="data source 'fresh' was never synced"):
        read(DataSourceOrigin("fresh"))


CHECKED = {
    "sites.py": """
from django.dispatch import receiver
from dcim.models import Site
from extras.scripts import Script, StringVar
from netbox_userscripts.signals import post_save


@receiver(post_save, sender=Site)
def saved(sender, instance, **kwargs):
    logger.info("saved %s", instance)


class AddSite(Script):
    site_name = StringVar()

    def run(self, data, commit):
        pass
""",
    "typo.py": """
from django.dispatch import receiver
from netbox_userscripts.signals import pre_save


@receiver(pre_save, sender="dcim.Sitee")
def saving(sender, **kwargs):
    pass
""",
    "broken.py": "import os\nimport no_such_module_here\n",
}


def test_netbox_userscripts_check_lists_a_folder_and_its_problems(nb, tmp_path):
    for name, source in CHECKED.items():
        (tmp_path / name).write_text(source)
    logged = nb.log()
    done = nb.manage("userscripts_check", str(tmp_path), "--format", "json")
    assert done.returncode == 1, done.stderr
    report = {module["name"]: module for module in json.loads(done.stdout)["modules"]}
    assert report["sites"]["ok"] and report["sites"]["receivers"] == [
        {"signal": "post_save", "sender": "dcim.Site", "receiver": "saved"}]
    assert report["sites"]["jobs"] == [{"name": "AddSite", "class_path": "sites.AddSite", "vars": ["site_name"]}]
    assert [(p["kind"], p["line"]) for p in report["broken"]["problems"]] == [("import_error", 2)]
    assert [p["kind"] for p in report["typo"]["problems"]] == ["unknown_model"]
    assert nb.log() == logged  # nothing of the check in the central log
