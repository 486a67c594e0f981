"""How much input a job takes, from Django's own upload settings, the same on every front end.

- ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django's default 2.5 MB) bounds a job's input data: the
  API run endpoint's request body (DRF's JSON parser reads the stream without Django's
  check, so the endpoint checks ``Content-Length`` before parsing) and ``runjob --data``.
- ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (also 2.5 MB) bounds each FileVar upload: Django keeps an
  upload this size in memory and a job reads it whole, so a larger one is refused by the
  form field (pages, API and CLI alike) rather than spooled to disk.

Both are Django settings, set in ``configuration.py`` like any other;
``DATA_UPLOAD_MAX_MEMORY_SIZE = None`` lifts the first limit, as it does for Django.

- ``MAX_OBJECTS`` (1,000, a constant) bounds the objects one MultiObjectVar takes: each is
  looked up in one ``IN`` query, whose parameters a database caps (SQLite at 32,766).
"""
from django.conf import settings

MB = 1024 * 1024
MAX_OBJECTS = 1000  # objects one MultiObjectVar takes


def too_many_objects(count):
    """The message for ``count`` objects given to one MultiObjectVar over ``MAX_OBJECTS``, or None."""
    if count <= MAX_OBJECTS:
        return None
    return f"Select at most {MAX_OBJECTS:,} objects; {count:,} were given."


def data_limit():
    """The most bytes of input data a job takes, or None."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def file_limit():
    """The most bytes of one FileVar upload."""
    return settings.FILE_UPLOAD_MAX_MEMORY_SIZE


def body_limit(file_vars):
    """The most bytes of an API request body for a job with ``file_vars`` FileVars, or None."""
    if data_limit() is None:
        return None
    return data_limit() + file_vars * (file_limit() + 64 * 1024)  # 64 KB: a part's headers, generously


def human_size(size):
    return f"{size / MB:.1f} MB" if size >= MB else f"{size} bytes"


def data_too_large(size, what):
    """The message for ``what`` (e.g. "--data") of ``size`` bytes over ``data_limit()``, or None."""
    limit = data_limit()
    if limit is None or size <= limit:
        return None
    return (f"{what} is {human_size(size)}; a job's input is limited to {human_size(limit)} "
            "(DATA_UPLOAD_MAX_MEMORY_SIZE, which configuration.py may raise).")


def file_too_large(size):
    """The message for an upload of ``size`` bytes over ``file_limit()``, or None."""
    if size <= file_limit():
        return None
    return (f"The file is {human_size(size)}; an upload is limited to {human_size(file_limit())} "
            "(FILE_UPLOAD_MAX_MEMORY_SIZE).")
