"""An index folder's catalog and search index: opened together to write, the catalog
alone to read."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IndexMissing
from ingest.search.registry import open_backend
from ingest.store.catalog import Catalog

#: The catalog's file inside an index folder, next to the search index's own folder.
CATALOG_FILE = "catalog.sqlite"


class Store:
    """The catalog and the search index of one index folder, opened together."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.index_dir / CATALOG_FILE)
        self.index = open_backend(self.index_dir, bulk_write=True)

    def close(self) -> None:
        self.catalog.close()


def open_catalog(index_dir: Path) -> Catalog:
    """The catalog of an index folder, to read; IndexMissing if there is none yet."""
    path = Path(index_dir) / CATALOG_FILE
    if not path.exists():
        raise IndexMissing(f"no index at {Path(index_dir).resolve()}: run `csp ingest` first")
    return Catalog(path)
