"""What the plugin adds to NetBox's own pages: a userscript run's result on its job's page (``/core/jobs/<id>/``).

NetBox shows a job's ``data`` there as JSON; a userscript's run gets, below it, the log table,
the tests and the output as NetBox shows its own scripts' (``results``), with a link to the
plugin's result page.
"""
from netbox.plugins import PluginTemplateExtension
from netbox_userscripts.netbox_plugin import results


class UserscriptRunResult(PluginTemplateExtension):
    models = ["core.job"]

    def full_width_page(self):
        job = self.context["object"]
        if not results.is_userscript_run(job):
            return ""
        return self.render("netbox_userscripts/netbox/inc/job_result.html",
                           extra_context=results.result_context(job, self.context["request"]))


template_extensions = [UserscriptRunResult]
