"""The search engines an index folder can use, by name, and opening one.

Engines are imported only when an index is opened, so code that only names the contract
(`ingest.search.backend`) loads no engine library.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.search.backend import SearchBackend

DEFAULT_BACKEND = "whoosh"
#: The file in an index folder naming its engine (the catalog has no table of settings,
#: and its version stays put); an index folder without it is Whoosh's.
BACKEND_FILE = "search_backend"


def open_whoosh(index_dir: Path, create: bool, bulk_write: bool) -> SearchBackend:
    # Imported here: callers of the contract need not load Whoosh until they open an index.
    from ingest.search.whoosh.index import WHOOSH_DIR, SearchIndex

    return SearchIndex.open(index_dir / WHOOSH_DIR, create=create, bulk_write=bulk_write)


def open_tantivy(index_dir: Path, create: bool, bulk_write: bool) -> SearchBackend:
    # Imported here: only an index that chose tantivy loads it.
    from ingest.search.tantivy.index import TANTIVY_DIR, TantivyIndex

    return TantivyIndex.open(index_dir / TANTIVY_DIR, create=create)


#: Each backend's opener: (index folder, create, bulk_write) to an open backend, which keeps its
#: files in a folder of its own next to the catalog.  An opener raises
#: FileNotFoundError when there is no index and `create` is False, and
#: `ingest.search.whoosh.schema.SchemaMismatch` for an index this version cannot read.
BACKENDS: dict[str, Callable[[Path, bool, bool], SearchBackend]] = {
    "whoosh": open_whoosh,
    "tantivy": open_tantivy,
}


def open_whoosh_terms() -> Callable[[str], str | None]:
    from ingest.search.whoosh.schema import term_of

    return term_of


#: Each backend's term function: a written word to the term its index holds (None when
#: the word is not indexed).
#: tantivy is handed the terms of the same analyzer (`ingest.search.tantivy.schema`).
TERM_FUNCTIONS: dict[str, Callable[[], Callable[[str], str | None]]] = {
    "whoosh": open_whoosh_terms,
    "tantivy": open_whoosh_terms,
}


def index_term(name: str = DEFAULT_BACKEND) -> Callable[[str], str | None]:
    """The term function of backend `name`, so that code comparing words (tracing)
    stems them exactly as search does."""
    return TERM_FUNCTIONS[name]()


def recorded_backend(index_dir: Path) -> str:
    """The engine an index folder was built with (DEFAULT_BACKEND when it names none)."""
    marker = Path(index_dir) / BACKEND_FILE
    name = marker.read_text().strip() if marker.exists() else DEFAULT_BACKEND
    if name not in BACKENDS:
        raise ValueError(
            f"{marker} names the search engine {name!r}, which this CSP Search does not "
            f"have: use one of {', '.join(sorted(BACKENDS))}"
        )
    return name


def record_backend(index_dir: Path, name: str) -> None:
    """Make `name` the engine of an index folder; the default leaves no file behind."""
    if name not in BACKENDS:
        raise ValueError(
            f"unknown search engine {name!r}: use one of {', '.join(sorted(BACKENDS))}"
        )
    marker = Path(index_dir) / BACKEND_FILE
    if name == DEFAULT_BACKEND:
        marker.unlink(missing_ok=True)
        return
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{name}\n")


def open_backend(
    index_dir: Path, name: str | None = None, create: bool = True, bulk_write: bool = False
) -> SearchBackend:
    """The search index of the index folder `index_dir` (the catalog's folder), served
    by backend `name` (by default the one the folder records) and created if allowed.
    `bulk_write` says the caller is an ingest, writing much and searching little, so the
    backend may trade search speed for memory that stays flat as the index grows."""
    name = name or recorded_backend(Path(index_dir))
    return BACKENDS[name](Path(index_dir), create, bulk_write)
