"""A NetBox custom script: renames a site. Off by default: "Commit changes" must be ticked.

    manage.py runjob --commit --data '{"site": {"slug": "ams1"}, "new_name": "AMS1"}' rename_site.RenameSite
"""
from dcim.models import Site
from extras.scripts import ObjectVar, Script, StringVar  # NetBox's import (or: from extras.scripts import *)


class RenameSite(Script):
    class Meta:
        name = "Rename a site"
        commit_default = False  # also: description, field_order, read_only, hidden

    site = ObjectVar(model=Site)
    new_name = StringVar(min_length=3, regex=r"^[A-Z]")

    def run(self, data, commit):
        site = data["site"]
        site.name = data["new_name"]
        site.full_clean()
        site.save()
        self.log_success(f"Renamed to {site.name}", obj=site)  # or log_success(obj=site, message=...)
        return site.name
