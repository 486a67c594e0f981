"""A throw-away ``redis-server`` for a test module, on a free port: ``with redis_server() as url``."""
import contextlib
import shutil
import socket
import subprocess
import time

import redis

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """``persistent``: every write to the append-only file before it is answered, as a Redis that holds a task
    queue should run, so that a ``kill -9`` loses nothing it acknowledged."""

    def __init__(self, folder, port=None, persistent=False):
        self.folder, self.port = folder, port or free_port()
        self.durability = ["--appendonly", "yes", "--appendfsync", "always"] if persistent else ["--appendonly", "no"]
        self.url = f"redis://127.0.0.1:{self.port}/4"
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      *self.durability, "--dir", str(self.folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self):
        """``kill -9``: no shutdown, no save; what it acknowledged is only what its append-only file holds."""
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


@contextlib.contextmanager
def redis_server(folder):
    server = RedisServer(folder).start()
    try:
        yield server
    finally:
        server.stop()
