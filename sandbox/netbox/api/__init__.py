"""Project-wide REST API pieces: root and status views, permissions, error handling."""
