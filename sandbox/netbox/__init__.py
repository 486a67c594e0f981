"""The embedding Django project: settings, URLs and WSGI entry point."""

VERSION = "0.1.0"
