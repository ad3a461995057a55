"""CSP Search: ingest Community Safety Partnership publications and search them."""

__version__ = "0.1.0"
