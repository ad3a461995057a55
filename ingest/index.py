"""The Whoosh index of sections: one Whoosh document per `Section`.

The catalog is the source of truth; this index can be rebuilt from it.  One writer per
call, one commit per call; the searcher is opened once and refreshed after commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher
from whoosh.writing import LockError

from ingest.model import Document
from ingest.schema import SCHEMA, SCHEMA_VERSION, SchemaMismatch

VERSION_FILE = "csp-schema-version"
LOCK_TIMEOUT_S = 60.0
WRITER_MEMORY_MB = 256


class IndexLocked(RuntimeError):
    """Another process holds the index's write lock."""


class SearchIndex:
    def __init__(self, path: Path, whoosh: whoosh_index.Index):
        self.path = path
        self.whoosh = whoosh
        self._searcher: Searcher | None = None

    @classmethod
    def open(cls, path: Path, create: bool = True) -> SearchIndex:
        """Open the index at `path`, creating it if allowed; checks the schema version."""
        path = Path(path)
        version_file = path / VERSION_FILE
        if whoosh_index.exists_in(str(path)):
            found = version_file.read_text().strip() if version_file.exists() else "unknown"
            if found != str(SCHEMA_VERSION):
                raise SchemaMismatch(
                    f"index at {path} has schema version {found}, this CSP Search needs "
                    f"{SCHEMA_VERSION}: rebuild it (delete the folder and run csp ingest)"
                )
            return cls(path, whoosh_index.open_dir(str(path)))
        if not create:
            raise FileNotFoundError(f"no index at {path}")
        path.mkdir(parents=True, exist_ok=True)
        created = whoosh_index.create_in(str(path), SCHEMA)
        version_file.write_text(str(SCHEMA_VERSION))
        return cls(path, created)

    def writer(self):
        try:
            return self.whoosh.writer(timeout=LOCK_TIMEOUT_S, limitmb=WRITER_MEMORY_MB, procs=1)
        except LockError as error:
            raise IndexLocked(f"the index at {self.path} is locked by another writer") from error

    def add_documents(
        self, documents: Iterable[Document], cluster_ids: dict[str, str] | None = None
    ) -> int:
        """Index every section of these documents; returns the number of sections written."""
        cluster_ids = cluster_ids or {}
        written = 0
        writer = self.writer()
        try:
            for document in documents:
                for section in document.sections:
                    writer.update_document(**section_fields(document, section, cluster_ids))
                    written += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return written

    def delete_documents(self, doc_ids: Iterable[str]) -> None:
        doc_ids = list(doc_ids)
        if not doc_ids:
            return
        writer = self.writer()
        for doc_id in doc_ids:
            writer.delete_by_term("doc_id", doc_id)
        writer.commit()

    def doc_ids(self) -> set[str]:
        return {fields_["doc_id"] for fields_ in self.searcher().all_stored_fields()}

    def searcher(self) -> Searcher:
        """The cached searcher, reopened if a commit happened since it was opened.

        Not `Searcher.refresh()`: it reuses the readers of unchanged segments and so
        misses documents deleted from them.
        """
        if self._searcher is not None and not self._searcher.up_to_date():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            self._searcher = self.whoosh.searcher()
        return self._searcher


def section_fields(document: Document, section, cluster_ids: dict[str, str]) -> dict:
    # A passage with no area of its own (a county document's general text) stays
    # county-level rather than taking every district the document covers.
    districts = section.districts
    year_from = section.year_from if section.year_from is not None else document.year_from
    year_to = section.year_to if section.year_to is not None else document.year_to
    if year_from is not None and year_to is None:
        year_to = year_from
    fields_ = {
        "section_id": section.section_id,
        "doc_id": document.doc_id,
        "cluster_id": cluster_ids.get(document.doc_id, document.doc_id),
        "title": document.title,
        "source": document.source,
        "doc_type": document.doc_type.value,
        "districts": ",".join(districts),
        "districts_display": json.dumps(districts),
        "county": document.county or "",
        "has_year": year_from is not None,
        "period": section.period or document.period,
        "heading_path": json.dumps(section.heading_path),
        "heading": " ".join(section.heading_path),
        "page_end": section.page_end,
        "text": section.text,
        "schema_version": SCHEMA_VERSION,
    }
    if year_from is not None:
        fields_["year_from"] = year_from
        fields_["year_to"] = year_to
    if section.page_start is not None:
        fields_["page_start"] = section.page_start
    return fields_
