"""`csp check`: do the catalog and the search index agree, and `--repair` when not.

The catalog is the source of truth.  Every document it holds should be in the index
with exactly its sections, as the catalog has them (a digest of every stored field of
every section is compared, entity tags included), and the index should hold nothing
else; every segment is read in full, so a damaged one is found, and `--repair` rebuilds
an index it cannot read.  Between two ingests
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

from ingest.errors import IndexFailed

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
    #: In both with as many sections, but what the index holds of them differs (text,
    #: areas, years, entity tags...).
    differs: list[str] = field(default_factory=list)
    #: Why the index cannot be read, when it cannot: every document is then missing.
    unreadable: str | None = None

    @property
    def disagreements(self) -> int:
        return (
            len(self.missing)
            + len(self.extra)
            + len(self.mismatched)
            + len(self.differs)
            + bool(self.unreadable)
        )

    def summary(self) -> str:
        if self.unreadable:
            return self.unreadable
        if not self.disagreements:
            return f"catalog and index agree: {self.documents} documents, {self.sections} sections"
        parts = [
            f"{len(self.missing)} documents missing from the index",
            f"{len(self.extra)} in the index but not the catalog",
            f"{len(self.mismatched)} with sections that differ",
            f"{len(self.differs)} with content that differs",
        ]
        return ", ".join(part for part in parts if not part.startswith("0 "))

    def to_dict(self) -> dict:
        return {
            "agree": not self.disagreements,
            "documents": self.documents,
            "sections": self.sections,
            "unreadable": self.unreadable,
            "missing_from_index": self.missing,
            "extra_in_index": self.extra,
            "section_count_differs": {
                doc_id: {"catalog": catalog, "index": index}
                for doc_id, (catalog, index) in self.mismatched.items()
            },
            "content_differs": self.differs,
        }


def check_store(store: Store) -> CheckReport:
    """Compare every document in the catalog with what the index holds of it, reading
    every segment of the index in full: its sections, counted, and a digest of their
    stored fields."""
    documents = store.catalog.documents(with_sections=True)
    expected = store.index.expected_digests(documents, store.catalog.cluster_ids())
    report = CheckReport(
        documents=len(documents), sections=sum(len(document.sections) for document in documents)
    )
    try:
        in_index = store.index.stored_digests()
    except IndexFailed as error:
        report.unreadable = str(error)
        report.missing = sorted(expected)
        return report
    in_catalog = {document.doc_id for document in documents}
    report.missing = sorted(set(expected) - set(in_index))
    report.extra = sorted(set(in_index) - in_catalog)
    for doc_id, (count, digest) in sorted(expected.items()):
        if doc_id not in in_index:
            continue
        indexed_count, indexed_digest = in_index[doc_id]
        if indexed_count != count:
            report.mismatched[doc_id] = (count, indexed_count)
        elif indexed_digest != digest:
            report.differs.append(doc_id)
    for doc_id in sorted(in_catalog & set(in_index) - set(expected)):
        report.mismatched[doc_id] = (0, in_index[doc_id][0])
    return report


def repair_store(store: Store, report: CheckReport) -> None:
    """Rewrite the disagreeing documents in the index from the catalog; an index that
    cannot be read is rebuilt whole."""
    if report.unreadable:
        store.index.reset()
    store.index.delete_documents(report.extra)
    rewrite = set(report.missing) | set(report.mismatched) | set(report.differs)
    if rewrite:
        documents = store.catalog.documents(with_sections=True, doc_ids=rewrite)
        store.index.add_documents(documents, store.catalog.cluster_ids())


def index_looks_whole(store: Store) -> bool:
    """The cheap test an ingest makes before it starts: the index opens and holds as
    many sections as the catalog (a deleted or emptied index does not)."""
    try:
        indexed = sum(store.index.section_counts().values())
    except IndexFailed:
        return False
    return indexed == sum(store.catalog.section_counts().values())


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
            after = check_store(store)
            if not after.disagreements:
                store.clear_index_pending()
            return before, after
        finally:
            store.close()
