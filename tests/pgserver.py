"""Run a command against a throw-away PostgreSQL server, when one can be started here.

    python tests/pgserver.py run -- python -m pytest

Finds Debian's ``initdb``/``pg_ctl`` (package ``postgresql``), creates a cluster in a
temporary folder listening on 127.0.0.1 (as the ``postgres`` user when run as root,
since PostgreSQL refuses to run as root), runs the command with
``USERSCRIPTS_TEST_POSTGRES=host:port`` set, and removes the cluster afterwards. Without
PostgreSQL binaries it says so and exits 0: the SQLite run already covered the suite.
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile


def find_bin(name):
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    return found[-1] if found and found[-1] else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_owner(cmd):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def main(argv):
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        sys.exit("usage: pgserver.py run -- COMMAND...")
    command = argv[argv.index("--") + 1:]
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        print("PostgreSQL is not installed here: the PostgreSQL run is skipped.")
        return 0
    folder = tempfile.mkdtemp(prefix="userscripts-pg-")
    data = os.path.join(folder, "data")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    log_file = os.path.join(folder, "server.log")
    try:
        subprocess.run(as_owner([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
                       check=True, stdout=subprocess.DEVNULL)
        options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(as_owner([pg_ctl, "-D", data, "-l", log_file, "-o", options, "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"PostgreSQL could not be started ({exc}): the PostgreSQL run is skipped.")
        shutil.rmtree(folder, ignore_errors=True)
        return 0
    print(f"PostgreSQL {os.path.basename(os.path.dirname(os.path.dirname(initdb)))} started on 127.0.0.1:{port}")
    try:
        env = {**os.environ, "USERSCRIPTS_TEST_POSTGRES": f"127.0.0.1:{port}"}
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(as_owner([pg_ctl, "-D", data, "-m", "immediate", "stop"]), stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
