"""An index folder's catalog and search index, opened together."""

from __future__ import annotations

from pathlib import Path

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
