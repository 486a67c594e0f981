"""A TCP server that accepts connections and never answers: a repository that hangs."""
import contextlib
import socket
import threading


@contextlib.contextmanager
def stalling_server():
    """Yields ``(url, accepted)``: a git URL on a socket that accepts and stays silent, and the connections."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])  # held open, never read from nor written to

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/repo.git", accepted
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
