"""A NetBox source-style tree made from an installed NetBox wheel: ``make test``'s stand-in for a source install.

    python tests/netbox_plugin/source_layout.py SITE_PACKAGES DEST

The release tarball (``/opt/netbox``) holds the project folder ``netbox/``: ``manage.py``,
the settings package ``netbox/netbox/`` and the apps beside it, with ``templates/``,
``project-static/``, ``translations/`` and ``release.yaml``; ``docs/`` and ``contrib/`` one
level up. The wheel ships the same files, its data under ``netbox/_data/``. This arranges
the wheel's files (linked, not copied) the tarball's way, so NetBox runs in its "checkout"
mode, started with ``netbox/manage.py`` and configured by ``NETBOX_CONFIGURATION``. It is the
same NetBox code as the wheel, laid out as a source install; not the tarball itself.
"""
import csv
import os
import sys
from pathlib import Path

# NetBox's own manage.py (netbox/manage.py in the release tarball).
MANAGE_PY = '''#!/usr/bin/env python3
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
'''
PROJECT_DATA = ("templates", "translations", "release.yaml")
TOP_DATA = ("docs", "contrib")


def packages(site_packages):
    """The top-level packages of the installed ``netbox`` distribution (its RECORD)."""
    record, = Path(site_packages).glob("netbox-*.dist-info/RECORD")
    with open(record, newline="") as rows:
        tops = {row[0].split("/")[0] for row in csv.reader(rows) if "/" in row[0]}
    return sorted(t for t in tops if not t.endswith(".dist-info") and t != ".." and (Path(site_packages) / t).is_dir())


def build(site_packages, dest):
    """Lay NetBox out under ``dest`` (``dest/netbox/manage.py``, ...); return ``dest``."""
    site_packages, dest = Path(site_packages), Path(dest)
    project = dest / "netbox"
    project.mkdir(parents=True)
    data = site_packages / "netbox" / "_data"
    for name in packages(site_packages):
        if name == "netbox":  # the settings package, without _data: NetBox then knows it is a checkout
            (project / "netbox").mkdir()
            for child in (site_packages / "netbox").iterdir():
                if child.name not in ("_data", "__pycache__"):
                    (project / "netbox" / child.name).symlink_to(child)
        else:
            (project / name).symlink_to(site_packages / name)
    for name in PROJECT_DATA:
        (project / name).symlink_to(data / name)
    # project-static/docs is where a source install's upgrade.sh builds the documentation.
    (project / "project-static").mkdir()
    for child in (data / "project-static").iterdir():
        (project / "project-static" / child.name).symlink_to(child)
    if (data / "docs").exists() and not (project / "project-static" / "docs").exists():
        (project / "project-static" / "docs").symlink_to(data / "docs")
    for name in TOP_DATA:
        if (data / name).exists():
            (dest / name).symlink_to(data / name)
    (project / "manage.py").write_text(MANAGE_PY)
    os.chmod(project / "manage.py", 0o755)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: source_layout.py SITE_PACKAGES DEST")
    print(build(sys.argv[1], sys.argv[2]))
