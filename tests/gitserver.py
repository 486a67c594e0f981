"""A git repository served over HTTP behind basic auth, as a private GitHub or GitLab repository is.

dulwich's own smart-HTTP WSGI application (``dulwich.web``) behind a few lines of basic
auth, served by wsgiref in a thread. ``GitServer.url`` has no credentials in it; requests
without the right ``Authorization`` get 401 and are counted in ``refused``, the others in
``served``, so a test can prove the credentials were sent.
"""
import base64
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from dulwich.repo import Repo
from dulwich.server import DictBackend
from dulwich.web import make_wsgi_chain


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class GitServer:
    """Serve the repository at ``path`` as ``http://127.0.0.1:PORT/userscripts.git`` to ``username:password``."""

    def __init__(self, path, username, password):
        self.expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.served = self.refused = 0
        self.git = make_wsgi_chain(DictBackend({"/userscripts.git": Repo(str(path))}))
        self.server = make_server("127.0.0.1", 0, self.app, server_class=_ThreadingServer, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}/userscripts.git"
        threading.Thread(target=self.server.serve_forever, name="test-git-server", daemon=True).start()

    def app(self, environ, start_response):
        if environ.get("HTTP_AUTHORIZATION") != self.expected:
            self.refused += 1
            start_response("401 Unauthorized", [("WWW-Authenticate", 'Basic realm="git"'),
                                                ("Content-Type", "text/plain")])
            return [b"credentials needed\n"]
        self.served += 1
        return self.git(environ, start_response)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
