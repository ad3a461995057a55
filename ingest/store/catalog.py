"""The catalog: SQLite, the source of truth for files, documents, sections and runs.

The Whoosh index can always be rebuilt from it.  Documents belong to file *content*
(sha256), not to a path, so the same bytes under two names are stored once and the second
name is recorded as a duplicate.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ingest.errors import CatalogDamaged, CatalogUnwritable, CspError, SchemaMismatch
from ingest.model import (
    PROVENANCE_ORIGINS,
    Commitment,
    DocType,
    Document,
    Evidence,
    Figure,
    Mention,
    Priority,
    Provenance,
    Section,
)
from ingest.store.lock import writer_running

# Bump when a table changes: an older catalog must be rebuilt, never half-read.
CATALOG_VERSION = 7

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    format TEXT,
    pages INTEGER,
    status TEXT NOT NULL,
    reason TEXT,
    duplicate_of TEXT,
    warnings TEXT NOT NULL DEFAULT '[]',
    run_id INTEGER,
    updated_at REAL
);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    part INTEGER NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    districts TEXT NOT NULL,
    county TEXT,
    year_from INTEGER,
    year_to INTEGER,
    period_as_written TEXT,
    date TEXT,
    page_start INTEGER,
    page_end INTEGER,
    evidence TEXT NOT NULL,
    cluster_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE INDEX IF NOT EXISTS documents_cluster ON documents(cluster_id);
-- Where a file's content came from (one row per content, so per document's file).
CREATE TABLE IF NOT EXISTS provenance (
    sha256 TEXT PRIMARY KEY,
    url TEXT,
    publisher TEXT,
    retrieved TEXT,
    original_name TEXT,
    origin TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
    section_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    heading_path TEXT NOT NULL,
    text TEXT NOT NULL,
    page_start INTEGER,
    page_end INTEGER,
    char_start INTEGER,
    char_end INTEGER,
    districts TEXT NOT NULL,
    year_from INTEGER,
    year_to INTEGER,
    evidence TEXT NOT NULL,
    themes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id);
CREATE TABLE IF NOT EXISTS mentions (
    section_id TEXT NOT NULL REFERENCES sections(section_id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    canonical TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(label, entity_key);
CREATE INDEX IF NOT EXISTS mentions_section ON mentions(section_id);
CREATE TABLE IF NOT EXISTS figures (
    section_id TEXT NOT NULL REFERENCES sections(section_id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    counted TEXT,
    direction TEXT,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER
);
CREATE INDEX IF NOT EXISTS figures_section ON figures(section_id);
CREATE TABLE IF NOT EXISTS priorities (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    text TEXT NOT NULL,
    themes TEXT NOT NULL,
    page INTEGER,
    year INTEGER
);
CREATE INDEX IF NOT EXISTS priorities_doc ON priorities(doc_id);
CREATE TABLE IF NOT EXISTS commitments (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    section_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    owner TEXT,
    timescale TEXT,
    measure TEXT,
    priority TEXT,
    page INTEGER,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    year INTEGER
);
CREATE INDEX IF NOT EXISTS commitments_doc ON commitments(doc_id);
CREATE TABLE IF NOT EXISTS signature_bands (
    band INTEGER NOT NULL,
    value TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS signature_lookup ON signature_bands(band, value);
CREATE INDEX IF NOT EXISTS signature_doc ON signature_bands(doc_id);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    arguments TEXT NOT NULL,
    counts TEXT,
    interrupted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS run_files (
    run_id INTEGER NOT NULL REFERENCES runs(run_id),
    path TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    documents INTEGER,
    sections INTEGER,
    seconds REAL,
    format TEXT,
    pages INTEGER,
    ocr_pages INTEGER NOT NULL DEFAULT 0,
    textless_pages INTEGER NOT NULL DEFAULT 0,
    entities INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS run_files_run ON run_files(run_id);
"""

RUN_FILE_COLUMNS = (
    "path",
    "status",
    "reason",
    "documents",
    "sections",
    "seconds",
    "format",
    "pages",
    "ocr_pages",
    "textless_pages",
    "entities",
)


@dataclass
class FileRecord:
    path: str
    sha256: str | None
    size: int | None
    mtime_ns: int | None
    status: str
    reason: str | None
    duplicate_of: str | None


class Catalog:
    """A thin layer over one SQLite file; every write happens in a transaction."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists() and not os.access(self.path.parent, os.W_OK):
            # A read-only folder: SQLite could create neither a journal nor the WAL's
            # shared-memory file, so the catalog is read as an immutable file (a catalog
            # closed cleanly has nothing left in its WAL).
            self.connection = sqlite3.connect(
                f"file:{quote(str(self.path.resolve()))}?immutable=1", uri=True
            )
            self.connection.row_factory = sqlite3.Row
            try:
                self.check_version()
            except sqlite3.DatabaseError as error:
                self.connection.close()
                raise catalog_error(self.path, error) from error
            return
        self.connection = sqlite3.connect(self.path, timeout=60)
        self.connection.row_factory = sqlite3.Row
        try:
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute("PRAGMA foreign_keys=ON")
            if self.check_version() is None:
                # Only a new catalog is written to here: opening one to read must never
                # wait for an ingest's write transaction.  The tables and the version are
                # one transaction, so a kill half-way leaves no catalog, not a versionless
                # one.
                self.connection.executescript(
                    f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version={CATALOG_VERSION}; COMMIT;"
                )
        except sqlite3.DatabaseError as error:
            self.connection.close()
            raise catalog_error(self.path, error) from error

    def check_version(self) -> int | None:
        """The catalog's version, None for a new one; an older catalog cannot take this
        version's rows, so it raises SchemaMismatch saying how to rebuild it."""
        version = self.connection.execute("PRAGMA user_version").fetchone()[0]
        has_tables = self.connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if has_tables and version != CATALOG_VERSION:
            self.connection.close()
            raise SchemaMismatch(
                f"the catalog at {self.path} was written by an older CSP Search (catalog "
                f"version {version}, this one needs {CATALOG_VERSION}): rebuild it by "
                f"deleting {self.path.parent} and running `csp ingest` on your documents"
            )
        return version if has_tables else None

    def close(self) -> None:
        self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Commits when the block ends, rolls back if it raises; a catalog that cannot
        be written (a full disk, a read-only folder) raises a CspError saying so."""
        try:
            with self.connection:
                yield self.connection
        except sqlite3.DatabaseError as error:
            raise catalog_error(self.path, error) from error

    # Files ---------------------------------------------------------------------------

    def file(self, path: str) -> FileRecord | None:
        row = self.connection.execute(
            "SELECT path, sha256, size, mtime_ns, status, reason, duplicate_of"
            " FROM files WHERE path = ?",
            (path,),
        ).fetchone()
        return FileRecord(**dict(row)) if row else None

    def record_file(
        self,
        path: str,
        *,
        status: str,
        sha256: str | None = None,
        size: int | None = None,
        mtime_ns: int | None = None,
        file_format: str | None = None,
        pages: int | None = None,
        reason: str | None = None,
        duplicate_of: str | None = None,
        warnings: Iterable[str] = (),
        run_id: int | None = None,
    ) -> None:
        self.connection.execute(
            "INSERT INTO files (path, sha256, size, mtime_ns, format, pages, status, reason,"
            " duplicate_of, warnings, run_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET sha256=excluded.sha256, size=excluded.size,"
            " mtime_ns=excluded.mtime_ns, format=excluded.format, pages=excluded.pages,"
            " status=excluded.status, reason=excluded.reason,"
            " duplicate_of=excluded.duplicate_of, warnings=excluded.warnings,"
            " run_id=excluded.run_id, updated_at=excluded.updated_at",
            (
                path,
                sha256,
                size,
                mtime_ns,
                file_format,
                pages,
                status,
                reason,
                duplicate_of,
                json.dumps(list(warnings)),
                run_id,
                time.time(),
            ),
        )

    def mark_failed(self, path: str, reason: str, run_id: int | None) -> None:
        """Record a failure without touching what an earlier version of the file stored."""
        existing = self.file(path)
        if existing is None:
            self.record_file(path, status="failed", reason=reason, run_id=run_id)
            return
        self.connection.execute(
            "UPDATE files SET status='failed', reason=?, run_id=?, updated_at=? WHERE path=?",
            (reason, run_id, time.time(), path),
        )

    def path_holding(self, sha256: str, other_than: str) -> str | None:
        """Another path whose content, with those bytes, is already stored."""
        row = self.connection.execute(
            "SELECT path FROM files WHERE sha256 = ? AND path != ? AND status != 'failed'"
            " AND duplicate_of IS NULL ORDER BY path LIMIT 1",
            (sha256, other_than),
        ).fetchone()
        return row["path"] if row else None

    def has_documents(self, sha256: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM documents WHERE sha256 = ? LIMIT 1", (sha256,)
        ).fetchone()
        return row is not None

    def sha_in_use(self, sha256: str, except_path: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM files WHERE sha256 = ? AND path != ? LIMIT 1", (sha256, except_path)
        ).fetchone()
        return row is not None

    def failed_files(self) -> list[sqlite3.Row]:
        return self.connection.execute(
            "SELECT path, reason, updated_at FROM files WHERE status = 'failed' ORDER BY path"
        ).fetchall()

    # Documents -----------------------------------------------------------------------

    def add_documents(self, documents: list[Document], cluster_ids: dict[str, str]) -> None:
        for document in documents:
            self.connection.execute(
                "INSERT OR REPLACE INTO documents (doc_id, sha256, part, source, title, doc_type,"
                " districts, county, year_from, year_to, period_as_written, date, page_start,"
                " page_end, evidence, cluster_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.doc_id,
                    document.file_sha256,
                    document.part,
                    document.source,
                    document.title,
                    document.doc_type.value,
                    json.dumps(document.districts),
                    document.county,
                    document.year_from,
                    document.year_to,
                    document.period_as_written,
                    document.date,
                    document.page_start,
                    document.page_end,
                    evidence_json(document.evidence),
                    cluster_ids.get(document.doc_id, document.doc_id),
                ),
            )
            self.connection.executemany(
                "INSERT OR REPLACE INTO sections (section_id, doc_id, heading_path, text,"
                " page_start, page_end, char_start, char_end, districts, year_from, year_to,"
                " evidence, themes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        section.section_id,
                        section.doc_id,
                        json.dumps(section.heading_path),
                        section.text,
                        section.page_start,
                        section.page_end,
                        section.char_start,
                        section.char_end,
                        json.dumps(section.districts),
                        section.year_from,
                        section.year_to,
                        evidence_json(section.evidence),
                        json.dumps(section.themes),
                    )
                    for section in document.sections
                ],
            )
            self.add_annotations(document)

    def add_annotations(self, document: Document) -> None:
        """The mentions, figures, priorities and commitments the entity stage found in a
        document."""
        from ingest.nlp.linking import normalise  # here: reading the catalog needs no linker

        self.connection.executemany(
            "INSERT INTO mentions (section_id, doc_id, label, text, canonical, entity_key,"
            " start, end, page, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    section.section_id,
                    document.doc_id,
                    mention.label,
                    mention.text,
                    mention.canonical,
                    normalise(mention.canonical),
                    mention.start,
                    mention.end,
                    mention.page,
                    mention.source,
                )
                for section in document.sections
                for mention in section.mentions
            ],
        )
        self.connection.executemany(
            "INSERT INTO figures (section_id, doc_id, text, value, unit, counted, direction,"
            " start, end, page) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    section.section_id,
                    document.doc_id,
                    figure.text,
                    figure.value,
                    figure.unit,
                    figure.counted,
                    figure.direction,
                    figure.start,
                    figure.end,
                    figure.page,
                )
                for section in document.sections
                for figure in section.figures
            ],
        )
        self.connection.executemany(
            "INSERT INTO priorities (doc_id, section_id, rank, text, themes, page, year)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    document.doc_id,
                    priority.section_id,
                    priority.rank,
                    priority.text,
                    json.dumps(priority.themes),
                    priority.page,
                    priority.year,
                )
                for priority in document.priorities
            ],
        )
        self.connection.executemany(
            "INSERT INTO commitments (doc_id, section_id, kind, text, owner, timescale,"
            " measure, priority, page, start, end, year)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    document.doc_id,
                    commitment.section_id,
                    commitment.kind,
                    commitment.text,
                    commitment.owner,
                    commitment.timescale,
                    commitment.measure,
                    commitment.priority,
                    commitment.page,
                    commitment.start,
                    commitment.end,
                    commitment.year,
                )
                for commitment in document.commitments
            ],
        )

    def mention_rows(self) -> list[sqlite3.Row]:
        return self.connection.execute("SELECT rowid, * FROM mentions").fetchall()

    def relink_mention(self, rowid: int, label: str, canonical: str) -> None:
        from ingest.nlp.linking import normalise

        self.connection.execute(
            "UPDATE mentions SET label = ?, canonical = ?, entity_key = ? WHERE rowid = ?",
            (label, canonical, normalise(canonical), rowid),
        )

    def set_section_themes(self, section_id: str, themes: list[str]) -> None:
        self.connection.execute(
            "UPDATE sections SET themes = ? WHERE section_id = ?", (json.dumps(themes), section_id)
        )

    def delete_mention(self, rowid: int) -> None:
        self.connection.execute("DELETE FROM mentions WHERE rowid = ?", (rowid,))

    def delete_documents_of(self, sha256: str) -> list[str]:
        """Remove the documents stored for some content; returns their ids."""
        doc_ids = [
            row["doc_id"]
            for row in self.connection.execute(
                "SELECT doc_id FROM documents WHERE sha256 = ?", (sha256,)
            )
        ]
        self.connection.execute("DELETE FROM documents WHERE sha256 = ?", (sha256,))
        return doc_ids

    def documents(
        self, with_sections: bool = False, doc_ids: Iterable[str] | None = None
    ) -> list[Document]:
        """Stored documents (all, or those in `doc_ids`); with their sections, mentions,
        figures, priorities and commitments when asked."""
        rows = self.connection.execute("SELECT * FROM documents ORDER BY source, part").fetchall()
        wanted = set(doc_ids) if doc_ids is not None else None
        documents = [
            document_from_row(row) for row in rows if wanted is None or row["doc_id"] in wanted
        ]
        if with_sections:
            by_id = {document.doc_id: document for document in documents}
            sections: dict[str, Section] = {}
            for row in self.connection.execute("SELECT * FROM sections ORDER BY section_id"):
                if row["doc_id"] in by_id:
                    section = section_from_row(row)
                    by_id[row["doc_id"]].sections.append(section)
                    sections[section.section_id] = section
            for row in self.connection.execute("SELECT * FROM mentions ORDER BY rowid"):
                if row["section_id"] in sections:
                    sections[row["section_id"]].mentions.append(mention_from_row(row))
            for row in self.connection.execute("SELECT * FROM figures ORDER BY rowid"):
                if row["section_id"] in sections:
                    sections[row["section_id"]].figures.append(figure_from_row(row))
            for row in self.connection.execute("SELECT * FROM priorities ORDER BY doc_id, rank"):
                if row["doc_id"] in by_id:
                    by_id[row["doc_id"]].priorities.append(priority_from_row(row))
            for row in self.connection.execute("SELECT * FROM commitments ORDER BY rowid"):
                if row["doc_id"] in by_id:
                    by_id[row["doc_id"]].commitments.append(commitment_from_row(row))
        return documents

    def section(self, section_id: str) -> Section | None:
        row = self.connection.execute(
            "SELECT * FROM sections WHERE section_id = ?", (section_id,)
        ).fetchone()
        return section_from_row(row) if row else None

    def section_counts(self) -> dict[str, int]:
        rows = self.connection.execute("SELECT doc_id, count(*) FROM sections GROUP BY doc_id")
        return {doc_id: count for doc_id, count in rows}

    def mention_counts(self) -> dict[str, int]:
        rows = self.connection.execute("SELECT doc_id, count(*) FROM mentions GROUP BY doc_id")
        return {doc_id: count for doc_id, count in rows}

    def cluster_ids(self) -> dict[str, str]:
        rows = self.connection.execute("SELECT doc_id, cluster_id FROM documents")
        return {row["doc_id"]: row["cluster_id"] for row in rows}

    # Provenance ----------------------------------------------------------------------

    def set_provenance(self, sha256: str, provenance: Provenance) -> bool:
        """Record where some content came from, unless a stronger origin already said
        so (a manifest's word is not overwritten by a PDF's metadata); a field the new
        record leaves empty keeps what was known.  True when it was recorded."""
        known = self.provenance_of_content(sha256)
        if known is not None and PROVENANCE_ORIGINS.index(known.origin) < PROVENANCE_ORIGINS.index(
            provenance.origin
        ):
            return False
        merged = provenance
        if known is not None:
            merged = Provenance(
                url=provenance.url or known.url,
                publisher=provenance.publisher or known.publisher,
                retrieved=provenance.retrieved or known.retrieved,
                original_name=provenance.original_name or known.original_name,
                origin=provenance.origin,
            )
        self.connection.execute(
            "INSERT OR REPLACE INTO provenance (sha256, url, publisher, retrieved,"
            " original_name, origin) VALUES (?, ?, ?, ?, ?, ?)",
            (
                sha256,
                merged.url,
                merged.publisher,
                merged.retrieved,
                merged.original_name,
                merged.origin,
            ),
        )
        return True

    def provenance_of_content(self, sha256: str) -> Provenance | None:
        row = self.connection.execute(
            "SELECT * FROM provenance WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return provenance_from_row(row) if row else None

    def provenance(self, doc_ids: Iterable[str] | None = None) -> dict[str, Provenance]:
        """Where each document's file came from, by doc_id (all documents, or those in
        `doc_ids`); documents of unknown provenance are left out."""
        query = "SELECT d.doc_id, p.* FROM documents d JOIN provenance p ON p.sha256 = d.sha256"
        if doc_ids is None:
            rows = self.connection.execute(query).fetchall()
        else:
            wanted = list(dict.fromkeys(doc_ids))
            rows = []
            # SQLite's default limit on bound parameters is 999 in older builds.
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows += self.connection.execute(
                    f"{query} WHERE d.doc_id IN ({', '.join('?' for _ in chunk)})", chunk
                ).fetchall()
        return {row["doc_id"]: provenance_from_row(row) for row in rows}

    def sha_of_path(self, path: str) -> str | None:
        """The content a stored file has (its sha256), if the catalog knows the file."""
        row = self.connection.execute(
            "SELECT sha256 FROM files WHERE path = ? AND sha256 IS NOT NULL", (path,)
        ).fetchone()
        return row["sha256"] if row else None

    # Near-duplicate signatures -------------------------------------------------------

    def add_signature(self, doc_id: str, bands: list[str]) -> None:
        self.connection.executemany(
            "INSERT INTO signature_bands (band, value, doc_id) VALUES (?, ?, ?)",
            [(band, value, doc_id) for band, value in enumerate(bands)],
        )

    def candidates(self, bands: list[str], exclude_sha: str) -> dict[str, int]:
        """Documents sharing signature bands with these, and how many bands they share."""
        shared: dict[str, int] = {}
        for band, value in enumerate(bands):
            rows = self.connection.execute(
                "SELECT s.doc_id, d.cluster_id FROM signature_bands s"
                " JOIN documents d ON d.doc_id = s.doc_id"
                " WHERE s.band = ? AND s.value = ? AND d.sha256 != ?",
                (band, value, exclude_sha),
            )
            for row in rows:
                shared[row["cluster_id"]] = shared.get(row["cluster_id"], 0) + 1
        return shared

    # Runs ----------------------------------------------------------------------------

    def start_run(self, arguments: dict) -> int:
        with self.transaction() as connection:
            cursor = connection.execute(
                "INSERT INTO runs (started_at, arguments) VALUES (?, ?)",
                (time.time(), json.dumps(arguments)),
            )
        return int(cursor.lastrowid or 0)

    def record_run_file(self, run_id: int, result: dict) -> None:
        """One file's outcome in a run; `result` holds RUN_FILE_COLUMNS (file_format
        for format)."""
        values = {**result, "format": result.get("file_format")}
        self.connection.execute(
            f"INSERT INTO run_files (run_id, {', '.join(RUN_FILE_COLUMNS)})"
            f" VALUES (?, {', '.join('?' for _ in RUN_FILE_COLUMNS)})",
            (run_id, *(values.get(column) for column in RUN_FILE_COLUMNS)),
        )

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.transaction() as connection:
            connection.execute(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE run_id = ?",
                (time.time(), json.dumps(counts), run_id),
            )

    def interrupted_runs(self) -> list[int]:
        """Runs that never finished and are not yet marked interrupted; call with the
        ingest lock held, so none of them can still be running."""
        rows = self.connection.execute(
            "SELECT run_id FROM runs WHERE finished_at IS NULL AND interrupted = 0 ORDER BY run_id"
        )
        return [row["run_id"] for row in rows]

    def close_runs(self, run_ids: list[int]) -> None:
        """Mark runs interrupted, with the counts of the files they got through."""
        with self.transaction() as connection:
            for run_id in run_ids:
                counts = dict(
                    connection.execute(
                        "SELECT status, count(*) FROM run_files WHERE run_id = ? GROUP BY status",
                        (run_id,),
                    ).fetchall()
                )
                connection.execute(
                    "UPDATE runs SET interrupted = 1, counts = ? WHERE run_id = ?",
                    (json.dumps(counts), run_id),
                )

    def runs(self, limit: int = 20) -> list[dict]:
        """The latest runs, newest first, with their arguments and counts.  A run that
        never finished is interrupted unless a writer holds the index folder now (the
        next ingest records it so)."""
        rows = self.connection.execute(
            "SELECT * FROM runs ORDER BY run_id DESC LIMIT ?", (limit,)
        ).fetchall()
        unfinished = [row["run_id"] for row in rows if row["finished_at"] is None]
        live = unfinished[:1] if unfinished and writer_running(self.path.parent) else []
        return [
            {
                **dict(row),
                "arguments": json.loads(row["arguments"]),
                "counts": json.loads(row["counts"]) if row["counts"] else {},
                "interrupted": bool(row["interrupted"])
                or (row["finished_at"] is None and row["run_id"] not in live),
            }
            for row in rows
        ]

    def run_files(self, run_id: int) -> list[dict]:
        rows = self.connection.execute(
            f"SELECT {', '.join(RUN_FILE_COLUMNS)} FROM run_files WHERE run_id = ? ORDER BY rowid",
            (run_id,),
        ).fetchall()
        return [dict(row) for row in rows]


def catalog_error(path: Path, error: sqlite3.DatabaseError) -> CspError:
    """The one line a catalog that cannot be read or written gives, with what to do."""
    reason = str(error)
    if type(error) is sqlite3.DatabaseError or "malformed" in reason:
        return CatalogDamaged(
            f"the catalog at {path} cannot be read ({reason}): it is damaged; move "
            f"{path.parent} aside and run `csp ingest` on your documents to rebuild it"
        )
    return CatalogUnwritable(
        f"the catalog at {path} could not be written ({reason}); nothing of the change "
        "was kept: free disk space or make the folder writable, then run the command again"
    )


def evidence_json(evidence: list[Evidence]) -> str:
    return json.dumps([vars(item) for item in evidence])


def evidence_from_json(text: str) -> list[Evidence]:
    return [Evidence(**item) for item in json.loads(text)]


def document_from_row(row: sqlite3.Row) -> Document:
    return Document(
        doc_id=row["doc_id"],
        source=row["source"],
        file_sha256=row["sha256"],
        part=row["part"],
        title=row["title"],
        doc_type=DocType(row["doc_type"]),
        districts=json.loads(row["districts"]),
        county=row["county"],
        year_from=row["year_from"],
        year_to=row["year_to"],
        period_as_written=row["period_as_written"],
        date=row["date"],
        page_start=row["page_start"],
        page_end=row["page_end"],
        evidence=evidence_from_json(row["evidence"]),
    )


def provenance_from_row(row: sqlite3.Row) -> Provenance:
    return Provenance(
        url=row["url"],
        publisher=row["publisher"],
        retrieved=row["retrieved"],
        original_name=row["original_name"],
        origin=row["origin"],
    )


def mention_from_row(row: sqlite3.Row) -> Mention:
    return Mention(
        label=row["label"],
        text=row["text"],
        canonical=row["canonical"],
        start=row["start"],
        end=row["end"],
        page=row["page"],
        source=row["source"],
    )


def figure_from_row(row: sqlite3.Row) -> Figure:
    return Figure(
        text=row["text"],
        value=row["value"],
        unit=row["unit"],
        start=row["start"],
        end=row["end"],
        counted=row["counted"],
        direction=row["direction"],
        page=row["page"],
    )


def priority_from_row(row: sqlite3.Row) -> Priority:
    return Priority(
        text=row["text"],
        themes=json.loads(row["themes"]),
        section_id=row["section_id"],
        page=row["page"],
        rank=row["rank"],
        year=row["year"],
    )


def commitment_from_row(row: sqlite3.Row) -> Commitment:
    return Commitment(
        text=row["text"],
        kind=row["kind"],
        section_id=row["section_id"],
        page=row["page"],
        start=row["start"],
        end=row["end"],
        year=row["year"],
        owner=row["owner"],
        timescale=row["timescale"],
        measure=row["measure"],
        priority=row["priority"],
    )


def section_from_row(row: sqlite3.Row) -> Section:
    return Section(
        section_id=row["section_id"],
        doc_id=row["doc_id"],
        heading_path=json.loads(row["heading_path"]),
        text=row["text"],
        page_start=row["page_start"],
        page_end=row["page_end"],
        char_start=row["char_start"],
        char_end=row["char_end"],
        districts=json.loads(row["districts"]),
        year_from=row["year_from"],
        year_to=row["year_to"],
        evidence=evidence_from_json(row["evidence"]),
        themes=json.loads(row["themes"]),
    )
