"""A job: new_branch.py's NewBranch creates a site and its switches, only when committed."""
from pathlib import Path

import pytest

from dcim.models import Device, DeviceType, Site
from netbox_userscripts.scripts.inputs import InputError

USERSCRIPTS = Path(__file__).resolve().parent.parent / "userscripts"


@pytest.fixture
def new_branch(userscripts, switch):
    userscripts.load(USERSCRIPTS / "new_branch.py")
    return DeviceType.objects.get(slug="c9200")


def test_a_branch_is_provisioned(run_job, new_branch, admin_user):
    result = run_job("new_branch.NewBranch", data={"site_name": "Ghent", "switch_count": 2,
                                                   "switch_model": new_branch.pk}, commit=True, user=admin_user)

    assert result.status == "completed", result.traceback
    assert [entry["message"] for entry in result.log] == [
        "Created new site: Ghent", "Created new switch: ghent-switch1", "Created new switch: ghent-switch2"]
    assert result.output.splitlines()[0] == "name,make,model"
    assert Device.objects.filter(site__name="Ghent").count() == 2


def test_without_commit_nothing_stays(run_job, new_branch):
    result = run_job("new_branch.NewBranch", data={"site_name": "Ghent", "switch_count": 1,
                                                   "switch_model": new_branch.pk}, commit=False)

    assert result.status == "completed"
    assert not Site.objects.filter(name="Ghent").exists()


def test_bad_input_names_the_variable(run_job, new_branch):
    with pytest.raises(InputError) as error:
        run_job("new_branch.NewBranch", data={"site_name": "Ghent", "switch_count": 99,
                                              "switch_model": new_branch.pk})

    assert "switch_count" in error.value.errors
