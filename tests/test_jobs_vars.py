"""Every var: valid values accepted and converted, each option enforced with a field error."""
import datetime
import decimal

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from netaddr import IPAddress, IPNetwork

from netbox_userscripts.loading.registry import registry
from netbox_userscripts.scripts.inputs import InputError, clean_input

VARS = """
from django.contrib.auth.models import Group, User
from netbox_userscripts.jobs import *

class AllVars(Job):
    class Meta:
        name = "All the vars"
        field_order = ["count", "text"]

    text = StringVar(min_length=2, max_length=5, regex=r"^[a-z]+$", required=False)
    body = TextVar(required=False)
    count = IntegerVar(min_value=1, max_value=10, default=3)
    ratio = DecimalVar(min_value=0, max_value=1, required=False)
    flag = BooleanVar(default=True)
    direction = ChoiceVar(choices=(("n", "North"), ("s", "South")), required=False)
    directions = MultiChoiceVar(choices=(("n", "North"), ("s", "South")), required=False)
    user = ObjectVar(model=User, required=False, display_field="username")
    staff = ObjectVar(model=User, query_params={"is_staff": True}, required=False, null_option="Nobody")
    group = ObjectVar(model=Group, required=False)
    member = ObjectVar(model=User, query_params={"groups": "$group"}, required=False)
    users = MultiObjectVar(model=User, required=False)
    upload = FileVar(required=False)
    address = IPAddressVar(required=False)
    interface = IPAddressWithMaskVar(required=False)
    network = IPNetworkVar(min_prefix_length=16, max_prefix_length=30, required=False)
    day = DateVar(required=False)
    moment = DateTimeVar(required=False)

    def run(self, data, commit):
        return data
"""


@pytest.fixture
def job(userscripts, db):
    userscripts.load_module("allvars", VARS)
    return registry.get_job("allvars.AllVars")


def clean(job, **data):
    return clean_input(job, data)


def errors(job, **data):
    with pytest.raises(InputError) as excinfo:
        clean_input(job, data)
    return excinfo.value.errors


def test_values_are_converted(job):
    user = User.objects.create_user("ann", is_staff=True)
    other = User.objects.create_user("bob")
    data = clean(job, text="abc", body="two\nlines", count="7", ratio="0.25", flag="false", direction="s",
                 directions=["n", "s"], user=user.pk, staff={"username": "ann"}, users=[user.pk, other.pk],
                 address="192.0.2.1", interface="192.0.2.1/24", network="10.1.0.0/16", day="2026-11-22",
                 moment="2026-11-22T14:03:07")
    assert data["text"] == "abc" and data["body"] == "two\nlines"
    assert data["count"] == 7 and data["ratio"] == decimal.Decimal("0.25") and data["flag"] is False
    assert data["direction"] == "s" and data["directions"] == ["n", "s"]
    assert data["user"] == user and data["staff"] == user
    assert list(data["users"].order_by("pk")) == [user, other]
    assert data["address"] == IPAddress("192.0.2.1") and isinstance(data["address"], IPAddress)
    assert data["interface"] == IPNetwork("192.0.2.1/24") and str(data["interface"].ip) == "192.0.2.1"
    assert data["network"] == IPNetwork("10.1.0.0/16")
    assert data["day"] == datetime.date(2026, 11, 22)
    assert data["moment"].replace(tzinfo=None) == datetime.datetime(2026, 11, 22, 14, 3, 7)
    assert data["moment"].tzinfo is not None


def test_defaults_and_optional_fields(job):
    data = clean(job)
    assert data["count"] == 3 and data["flag"] is True
    assert data["text"] == "" and data["ratio"] is None and data["user"] is None and data["address"] is None
    assert list(data["users"]) == [] and data["directions"] == []


@pytest.mark.parametrize("data, field, message", [
    ({"text": "a"}, "text", "at least 2 characters"),
    ({"text": "abcdef"}, "text", "at most 5 characters"),
    ({"text": "ABC"}, "text", "Must match regex"),
    ({"count": 0}, "count", "greater than or equal to 1"),
    ({"count": 11}, "count", "less than or equal to 10"),
    ({"count": "many"}, "count", "whole number"),
    ({"ratio": "1.5"}, "ratio", "less than or equal to 1"),
    ({"direction": "x"}, "direction", "Select a valid choice"),
    ({"directions": ["n", "x"]}, "directions", "Select a valid choice"),
    ({"address": "192.0.2.1/24"}, "address", "without a mask"),
    ({"address": "10.1"}, "address", "not a valid IPv4 or IPv6 address"),
    ({"address": "300.1.1.1"}, "address", "not a valid"),
    ({"interface": "192.0.2.1"}, "interface", "mask"),
    ({"interface": "192.0.2.1/33"}, "interface", "not a valid mask length"),
    ({"network": "10.1.0.0"}, "network", "mask"),
    ({"network": "10.1.2.0/16"}, "network", "not a network address"),
    ({"network": "10.0.0.0/8"}, "network", "at least /16"),
    ({"network": "10.1.2.0/31"}, "network", "at most /30"),
    ({"day": "22/22/2026"}, "day", "valid date"),
    ({"moment": "yesterday"}, "moment", "valid date/time"),
    ({"user": 99999}, "user", "No user with id 99999"),
    ({"user": "abc"}, "user", "not a valid user id"),
    ({"users": [99999]}, "users", "No user with id 99999"),
    ({"user": {"username": "nobody"}}, "user", "No user matches"),
])
def test_each_option_gives_a_field_error(job, data, field, message):
    found = errors(job, **data)
    assert list(found) == [field]
    assert message in " ".join(found[field]), found


def test_missing_required(userscripts, db):
    userscripts.write("req.py", """
        from netbox_userscripts.jobs import Job, StringVar, ObjectVar
        from django.contrib.auth.models import User
        class Req(Job):
            name_ = StringVar()
            who = ObjectVar(model=User)
    """)
    userscripts.load()
    found = errors(registry.get_job("req.Req"))
    assert found == {"name_": ["This field is required."], "who": ["This field is required."]}


def test_object_outside_query_params(job):
    ann = User.objects.create_user("ann", is_staff=True)
    bob = User.objects.create_user("bob")
    assert clean(job, staff=ann.pk)["staff"] == ann
    message = errors(job, staff=bob.pk)["staff"][0]
    assert "does not match this field's filter" in message and "is_staff" in message
    assert clean(job, staff="null")["staff"] is None  # the null_option


def test_dollar_references_follow_the_other_field(job):
    ops, dev = Group.objects.create(name="ops"), Group.objects.create(name="dev")
    ann, bob = User.objects.create_user("ann"), User.objects.create_user("bob")
    ann.groups.add(ops)
    bob.groups.add(dev)
    assert clean(job, group=ops.pk, member=ann.pk)["member"] == ann
    assert "does not match" in errors(job, group=ops.pk, member=bob.pk)["member"][0]
    assert clean(job, member=bob.pk)["member"] == bob  # no group chosen: no filter


def test_lookups_must_stay_on_the_models_own_fields(job):
    User.objects.create_user("ann")
    assert "across relations" in errors(job, user={"groups__name": "ops"})["user"][0]
    assert "is not a field of user" in errors(job, user={"no_such_field": 1})["user"][0]
    assert "is not a field" in errors(job, user={"groups": 1})["user"][0]
    assert clean(job, user={"username": "ann"})["user"].username == "ann"


def test_a_user_is_offered_and_given_only_the_objects_they_may_view(job):
    ann = User.objects.create_user("ann", is_staff=True)
    ops = Group.objects.create(name="ops")
    looker = User.objects.create_user("looker")  # may view groups, not users
    looker.user_permissions.add(Permission.objects.get(codename="view_group"))
    looker = User.objects.get(pk=looker.pk)
    job_as_looker = job()
    job_as_looker.user = looker
    form = job_as_looker.as_form()
    assert list(form.fields["user"].queryset) == [] and list(form.fields["group"].queryset) == [ops]
    hidden = f"No user with id {ann.pk}."
    found = errors_as(job, looker, {"user": ann.pk, "staff": ann.pk, "users": [ann.pk], "group": ops.pk})
    assert found == {"user": [hidden], "staff": [hidden], "users": [hidden]}  # not "does not match the filter"
    assert errors_as(job, looker, {"user": {"username": "ann"}}) == {"user": ["No user matches {'username': 'ann'}."]}
    assert clean_input(job, {"group": ops.pk}, user=looker)["group"] == ops
    assert clean_input(job, {"user": ann.pk})["user"] == ann  # no user: the engine itself (runjob) sees all


def test_a_hosts_hook_decides_what_a_user_may_view(job):
    config = apps.get_app_config("netbox_userscripts")
    config.host_visible_objects = "tests.test_jobs_vars.only_staff_users"
    try:
        ann, bob = User.objects.create_user("ann", is_staff=True), User.objects.create_user("bob")
        asker = User.objects.create_user("asker")  # no permission at all: the hook alone decides
        assert clean_input(job, {"user": ann.pk}, user=asker)["user"] == ann
        assert errors_as(job, asker, {"user": bob.pk}) == {"user": [f"No user with id {bob.pk}."]}
    finally:
        del config.host_visible_objects


def only_staff_users(queryset, user):
    return queryset.filter(is_staff=True) if queryset.model is User else queryset


def errors_as(job, asker, data):
    with pytest.raises(InputError) as excinfo:
        clean_input(job, data, user=asker)
    return excinfo.value.errors


def test_unknown_variables_are_reported(job):
    assert "has no variable 'colour'" in errors(job, colour="red")["colour"][0]


def test_as_form_is_netboxs(job):
    form = job().as_form()
    assert isinstance(form, forms.Form) and not form.is_bound
    names = list(form.fields)
    assert names[:2] == ["count", "text"] and names[-1] == "_commit"  # field_order, then _commit last
    assert form.fields["_commit"].initial is True
    assert form.fields["count"].initial == 3
    assert form.fields["text"].required is False and form.fields["count"].required is True
    assert isinstance(form.fields["body"].widget, forms.Textarea)
    assert form.fields["staff"].empty_label == "Nobody"
    bound = job().as_form({"count": "5", "_commit": "on"})
    assert bound.is_bound and bound.is_valid(), bound.errors
    assert bound.cleaned_data["_commit"] is True and bound.cleaned_data["count"] == 5
    assert not job().as_form({"count": "50"}).is_valid()
    User.objects.create_user("zed")
    choices = [label for value, label in job().as_form().fields["user"].choices if value]
    assert choices == ["zed"]  # display_field


def test_commit_default_and_read_only_in_the_form(userscripts, db):
    userscripts.write("meta.py", """
        from netbox_userscripts.jobs import Job
        class DryFirst(Job):
            class Meta:
                commit_default = False
        class Report(Job):
            class Meta:
                read_only = True
    """)
    userscripts.load()
    assert registry.get_job("meta.DryFirst")().as_form().fields["_commit"].initial is False
    field = registry.get_job("meta.Report")().as_form().fields["_commit"]
    assert isinstance(field.widget, forms.HiddenInput) and field.initial is False
