"""A call's keyword arguments: the query's parameters, and a POST's form fields or JSON object.

A parameter given once is its string, a repeated one the list of its strings (``script``
included); a JSON object's values pass as they are (numbers, lists, objects). The body's size
and field count are Django's (``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``).
A body that is neither a form nor a JSON object, a file, or a key both in the query and the
body is ``BadArguments``: a 400 that names the problem.
"""
import json

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CSRF_FIELD = "csrfmiddlewaretoken"  # a form's CSRF token: for Django's check, not for call()
JSON_TYPES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean",
              type(None): "null"}


class BadArguments(Exception):
    """The request's arguments cannot be read; the message says why."""


def arguments(request):
    """``{name: value}`` from the query and, for a POST, the body; ``BadArguments`` when they cannot be read."""
    try:
        query = _from_lists(request.GET)
        body = _from_body(request) if request.method == "POST" else {}
    except (SuspiciousOperation, MultiPartParserError, BadRequest) as exc:  # too big, too many fields, bad form
        raise BadArguments(f"Bad request: {exc}") from exc
    twice = sorted(set(query) & set(body))
    if twice:
        raise BadArguments(f"Arguments given both in the query and in the body: {', '.join(twice)}.")
    return {**query, **body}


def _from_lists(params):
    return {key: values[0] if len(values) == 1 else values for key, values in params.lists() if key != CSRF_FIELD}


def _from_body(request):
    if request.content_type == "application/json":
        try:
            value = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise BadArguments(f"The body is not JSON: {exc}.") from exc
        if not isinstance(value, dict):
            raise BadArguments("The JSON body must be an object of keyword arguments like "
                               f'{{"script": "NAME", "name": "value"}}, got {JSON_TYPES[type(value)]}.')
        return value
    if request.content_type in FORM_TYPES:
        if request.FILES:
            raise BadArguments(f"Files cannot be arguments of call(): {', '.join(sorted(request.FILES))}.")
        return _from_lists(request.POST)
    if request.body:
        raise BadArguments(f"The body must be a form or a JSON object (Content-Type: application/json), "
                           f"not {request.content_type or 'untyped'}.")
    return {}
