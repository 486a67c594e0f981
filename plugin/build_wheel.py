"""Build the NetBox plugin's wheel: ``dist/netbox_userscripts-<version>-py3-none-any.whl``.

    python plugin/build_wheel.py [DIST_DIR]

The repository's own ``setup.cfg`` installs the whole standalone project (``dcim``,
``netbox``, ...), whose top-level packages would shadow NetBox's. This builds from a
staging folder holding only ``netbox_userscripts`` and ``plugin/pyproject.toml``.
"""
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def version():
    text = (ROOT / "netbox_userscripts" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def main(dist=None):
    dist = Path(dist or ROOT / "dist").resolve()
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="userscripts-wheel-") as staging:
        staging = Path(staging)
        shutil.copytree(ROOT / "netbox_userscripts", staging / "netbox_userscripts",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        shutil.copy(ROOT / "README.md", staging / "README.md")
        (staging / "pyproject.toml").write_text((HERE / "pyproject.toml").read_text().replace("@VERSION@", version()))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(staging)],
                       check=True)
    wheel = dist / f"netbox_userscripts-{version()}-py3-none-any.whl"
    print(wheel)
    return wheel


if __name__ == "__main__":
    main(*sys.argv[1:2])
