"""Performance figures of CONTRACT section 10 (``make bench``)."""
