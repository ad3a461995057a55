"""The errors a user can meet, each carrying a one-line message they can act on.

The CLI prints any `CspError` as ``Error: message`` and exits 1; the app shows it where
the answer would have been.  Anything else escaping a command is a bug.
"""

from __future__ import annotations


class CspError(Exception):
    """A problem with the input or the index folder, not with the code."""


class ReaderError(CspError):
    """A file that cannot be read: empty, not the format it claims, broken."""


class QueryError(CspError):
    """A query or filters that cannot be run."""


class FilterError(QueryError):
    """A filter value that names nothing known: an unknown area, theme or entity, or a
    year that is not one."""


class IndexMissing(CspError):
    """No index at the folder asked for: nothing has been ingested there."""


class SchemaMismatch(CspError):
    """An index written by another version of CSP Search, which must be rebuilt."""


class CatalogDamaged(CspError):
    """A catalog SQLite cannot read: garbage, truncated, malformed."""


class CatalogUnwritable(CspError):
    """A catalog write that failed (a full disk, a read-only folder): rolled back."""


class IndexFailed(CspError):
    """A search index that cannot be read or written; `csp check --repair` rebuilds it
    from the catalog."""


class IndexLocked(CspError):
    """Another writer held the search index's lock for too long."""


class FolderNotWritable(CspError):
    """A writing command on an index folder it cannot write to."""


class IngestRunning(CspError):
    """Another ingest holds the index folder."""


class ExecutorUnavailable(CspError):
    """The asked-for executor (a Dask cluster) cannot be reached or is not installed."""


class ManifestError(CspError):
    """A sources manifest (`csp ingest --sources`) that cannot be read at all: missing,
    not text, or with no `file` or `sha256` column."""


class DownloadFailed(CspError):
    """A URL given to `csp ingest` that could not be fetched, or whose answer is refused
    (too large, not a PDF, HTML or text file); the message names the URL."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
