"""`csp check`: do the catalog and the search index agree, and `--repair` when not.

The catalog is the source of truth.  Every document it holds should be in the index
with exactly its sections, and the index should hold nothing else.  Between two ingests
a disagreement can only come from an ingest killed before its index batch was
committed (the next ingest repairs it by itself), or from a search index damaged or
replaced by hand; repairing rewrites the index from the catalog for just the
documents that disagree.  During an ingest the index lags the catalog by design, so
the check takes the writer lock, waiting for a running ingest or entity edit to finish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.store.store import Store


@dataclass
class CheckReport:
    documents: int = 0
    sections: int = 0
    #: In the catalog, not in the index.
    missing: list[str] = field(default_factory=list)
    #: In the index, not in the catalog.
    extra: list[str] = field(default_factory=list)
    #: In both, with another number of sections: doc_id -> (catalog, index).
    mismatched: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def disagreements(self) -> int:
        return len(self.missing) + len(self.extra) + len(self.mismatched)

    def summary(self) -> str:
        if not self.disagreements:
            return f"catalog and index agree: {self.documents} documents, {self.sections} sections"
        parts = [
            f"{len(self.missing)} documents missing from the index",
            f"{len(self.extra)} in the index but not the catalog",
            f"{len(self.mismatched)} with sections that differ",
        ]
        return ", ".join(part for part in parts if not part.startswith("0 "))

    def to_dict(self) -> dict:
        return {
            "agree": not self.disagreements,
            "documents": self.documents,
            "sections": self.sections,
            "missing_from_index": self.missing,
            "extra_in_index": self.extra,
            "section_count_differs": {
                doc_id: {"catalog": catalog, "index": index}
                for doc_id, (catalog, index) in self.mismatched.items()
            },
        }


def check_store(store: Store) -> CheckReport:
    """Compare every document's sections in the catalog and in the index."""
    in_catalog = {document.doc_id: 0 for document in store.catalog.documents(with_sections=False)}
    in_catalog.update(store.catalog.section_counts())
    in_index = store.index.section_counts()
    report = CheckReport(documents=len(in_catalog), sections=sum(in_catalog.values()))
    report.missing = sorted(
        doc_id for doc_id, count in in_catalog.items() if count and doc_id not in in_index
    )
    report.extra = sorted(set(in_index) - set(in_catalog))
    report.mismatched = {
        doc_id: (count, in_index[doc_id])
        for doc_id, count in sorted(in_catalog.items())
        if doc_id in in_index and in_index[doc_id] != count
    }
    return report


def repair_store(store: Store, report: CheckReport) -> None:
    """Rewrite the disagreeing documents in the index from the catalog."""
    store.index.delete_documents(report.extra)
    rewrite = set(report.missing) | set(report.mismatched)
    if rewrite:
        documents = store.catalog.documents(with_sections=True, doc_ids=rewrite)
        store.index.add_documents(documents, store.catalog.cluster_ids())


def check_index(
    index_dir: Path, repair: bool = False, on_wait: Callable[[str], None] | None = None
) -> tuple[CheckReport, CheckReport | None]:
    """`csp check [--repair]`: the check, and after a repair the check run again.  Waits
    while another writer holds the index folder (`on_wait` hears why)."""
    from ingest.store.lock import IngestLock
    from ingest.store.store import Store

    purpose = "check and repair" if repair else "check"
    with IngestLock(Path(index_dir), purpose=purpose, on_wait=on_wait):
        store = Store(index_dir)
        try:
            before = check_store(store)
            if not repair:
                return before, None
            if before.disagreements:
                repair_store(store, before)
            return before, check_store(store)
        finally:
            store.close()
