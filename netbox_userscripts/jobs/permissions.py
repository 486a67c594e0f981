"""Who may run jobs and read their results: the permission names and the one check for each.

Running a job needs ``netbox_userscripts.run_job``. Reading results needs
``netbox_userscripts.view_jobresult``, except that a user may always read the results of
their own runs. The pages, the API and the admin ask here; each turns a refusal into its
own kind of 403.
"""
RUN_PERMISSION = "netbox_userscripts.run_job"
VIEW_RESULTS_PERMISSION = "netbox_userscripts.view_jobresult"

RUN_REFUSED = f"Permission {RUN_PERMISSION} is required to run a job."
RESULTS_REFUSED = f"Permission {VIEW_RESULTS_PERMISSION} is required to view job results."
RESULT_REFUSED = f"Permission {VIEW_RESULTS_PERMISSION} is required to view this result."


def may_run(user):
    return user.has_perm(RUN_PERMISSION)


def may_view_results(user):
    """Whether ``user`` may read every result (the lists show only their own otherwise)."""
    return user.has_perm(VIEW_RESULTS_PERMISSION)


def may_view_result(user, result):
    return result.user_id == user.pk or user.has_perm(VIEW_RESULTS_PERMISSION)
