"""Whether a request comes from this site's own pages: no cross-site request rides on a session.

A browser sends the session cookie on a link from any web page (``SameSite=Lax``), so a
session alone does not say the user meant the request. The browser also says where it comes
from: ``Sec-Fetch-Site`` (every current browser; ``none`` is an address typed or bookmarked),
else ``Origin``, else ``Referer``. A request is from this site when that says so, or names this
host or an origin of ``CSRF_TRUSTED_ORIGINS`` (Django's own rule for trusted origins, read from
its ``CsrfViewMiddleware``). A request that says nothing is not: an attacker's page can send a
link without a ``Referer``, and every browser that omits ``Sec-Fetch-Site`` sends one by default.
"""
from urllib.parse import urlsplit

from django.core.exceptions import DisallowedHost
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import is_same_domain

SAME_ORIGIN = ("same-origin", "none")


def cross_site_reason(request):
    """Why ``request`` is not known to come from this site (a phrase for a 403), or None when it is."""
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site in SAME_ORIGIN:
        return None
    header, origin = "Origin", request.META.get("HTTP_ORIGIN")
    if origin is None and request.META.get("HTTP_REFERER"):
        header, origin = "Referer", _origin_of(request.META["HTTP_REFERER"])
    said = f"Sec-Fetch-Site is {fetch_site}, " if fetch_site else ""
    if origin is None:
        return f"{said}no Origin or Referer header shows it comes from this site"
    if _trusted(request, origin):
        return None
    return f"{said}{header} {origin} is neither this site nor in CSRF_TRUSTED_ORIGINS"


def _origin_of(url):
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unreadable)"
    return f"{parts.scheme}://{parts.netloc}"


def _trusted(request, origin):
    """Whether ``origin`` is this host or trusted, as ``CsrfViewMiddleware`` decides for a POST's ``Origin``."""
    try:
        if origin == f"{'https' if request.is_secure() else 'http'}://{request.get_host()}":
            return True
    except DisallowedHost:
        pass
    trusted = CsrfViewMiddleware(lambda request: None)  # its origin sets are read from the settings on each use
    if origin in trusted.allowed_origins_exact:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return any(is_same_domain(parts.netloc, host) for host in trusted.allowed_origin_subdomains.get(parts.scheme, ()))
