"""An index folder's catalog and search index: opened together to write, the catalog
alone to read."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.errors import IndexMissing
from ingest.search.registry import open_backend, record_backend, recorded_backend
from ingest.store.catalog import Catalog

#: The catalog's file inside an index folder, next to the search index's own folder.
CATALOG_FILE = "catalog.sqlite"
#: Present while a write outside an ingest run (an entity edit) has committed the catalog
#: but not yet the index: the next writer brings the index back to the catalog.
INDEX_PENDING_FILE = "index.pending"


class Store:
    """The catalog and the search index of one index folder, opened together."""

    def __init__(self, index_dir: Path, backend: str | None = None):
        """`backend` names the search engine to use from now on (recorded in the
        folder); by default the one the folder records.  A folder switched to another
        engine starts with its index empty, and the ingest that opened it refills it
        from the catalog (`recover_interrupted_run`)."""
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.index_dir / CATALOG_FILE)
        if backend is not None and backend != recorded_backend(self.index_dir):
            record_backend(self.index_dir, backend)
        self.index = open_backend(self.index_dir, bulk_write=True)

    @property
    def index_pending(self) -> bool:
        return (self.index_dir / INDEX_PENDING_FILE).exists()

    def mark_index_pending(self) -> None:
        """Say, durably, before the catalog commits, that the index is about to lag it."""
        marker = self.index_dir / INDEX_PENDING_FILE
        with marker.open("w") as file:
            os.fsync(file.fileno())
        folder = os.open(self.index_dir, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def clear_index_pending(self) -> None:
        (self.index_dir / INDEX_PENDING_FILE).unlink(missing_ok=True)

    def close(self) -> None:
        self.catalog.close()


def open_catalog(index_dir: Path) -> Catalog:
    """The catalog of an index folder, to read; IndexMissing if there is none yet."""
    path = Path(index_dir) / CATALOG_FILE
    if not path.exists():
        raise IndexMissing(f"no index at {Path(index_dir).resolve()}: run `csp ingest` first")
    return Catalog(path)
