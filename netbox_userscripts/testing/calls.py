"""Call a userscript's ``call()`` in a test through the real ``/userscript/`` view, as a user.

The request goes through the URL map, the middleware and the view's checks (login, the
``call_userscript`` permission, inside NetBox its object permissions), so a test sees what
an HTTP client would: the status and the body.
"""
import json
from dataclasses import dataclass

from django.conf import settings
from django.test import Client


@dataclass
class CallAnswer:
    """The view's answer: ``status``, ``body`` (text), ``json`` (the body decoded, or None)."""

    status: int
    body: str
    content_type: str

    @property
    def json(self):
        if "json" not in self.content_type:
            return None
        return json.loads(self.body)


def call_userscript(name, /, user=None, method="get", params=None, **more_params):
    """Call the userscript ``name`` with ``params`` as ``user`` (None: anonymously); its ``CallAnswer``.

    The parameters are keyword arguments, or a dict ``params`` for names this function takes
    itself (``user``, ``method``). ``method="post"`` sends them as a form's body. The request says it comes from
    this site's own pages (``Sec-Fetch-Site: same-origin``), as a browser would on a link of
    the site: the session checks are those of a real click.
    """
    client = Client()
    if user is not None:
        client.force_login(user)
    url = f"/{getattr(settings, 'BASE_PATH', '')}userscript/"
    send = {"get": client.get, "post": client.post}.get(method.lower())
    if send is None:
        raise ValueError(f"method must be 'get' or 'post', not {method!r}.")
    response = send(url, {"script": name, **(params or {}), **more_params}, HTTP_SEC_FETCH_SITE="same-origin")
    return CallAnswer(response.status_code, response.content.decode("utf-8", "replace"),
                      response.get("Content-Type", ""))
