"""The catalog reads behind the answers: stored mentions, priorities and figures, each
with the section and document it was found in, one query each.

Records come back with the stored JSON decoded; `ingest.answers` decides which areas and
years they count for and how they are shown.  `catalog.py` keeps the tables and the
reads and writes of one table; the joins the answers need live here.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from ingest.model import Figure, Mention, Priority
from ingest.store.catalog import Catalog, figure_from_row, mention_from_row, priority_from_row

# The document and section columns of a join, under names that do not clash with the
# annotation's own (its page, its text).
PLACEMENT_COLUMNS = (
    "s.districts AS section_districts, s.year_from AS s_year_from, s.year_to AS s_year_to,"
    " s.heading_path, d.title, d.doc_type, d.source AS file, d.districts AS doc_districts,"
    " d.county, d.year_from AS d_year_from, d.year_to AS d_year_to, d.cluster_id"
)


@dataclass(frozen=True)
class Placement:
    """Where an annotation was found: its section and its document, as stored."""

    doc_id: str
    cluster_id: str
    title: str
    doc_type: str
    source: str
    doc_districts: list[str]
    county: str | None
    doc_year_from: int | None
    doc_year_to: int | None
    section_id: str
    heading_path: list[str]
    #: None when the section is not stored (a priority may name one that is not).
    section_districts: list[str] | None
    section_year_from: int | None
    section_year_to: int | None

    @property
    def duplicate_of(self) -> str | None:
        """The document that stands for this one's near-duplicate cluster, if not itself."""
        return self.cluster_id if self.cluster_id != self.doc_id else None


@dataclass(frozen=True)
class PlacedMention:
    mention: Mention
    key: str
    section_text: str
    where: Placement


def placement(row: sqlite3.Row) -> Placement:
    return Placement(
        doc_id=row["doc_id"],
        cluster_id=row["cluster_id"],
        title=row["title"],
        doc_type=row["doc_type"],
        source=row["file"],
        doc_districts=json.loads(row["doc_districts"]),
        county=row["county"],
        doc_year_from=row["d_year_from"],
        doc_year_to=row["d_year_to"],
        section_id=row["section_id"],
        heading_path=json.loads(row["heading_path"] or "[]"),
        section_districts=(
            json.loads(row["section_districts"]) if row["section_districts"] is not None else None
        ),
        section_year_from=row["s_year_from"],
        section_year_to=row["s_year_to"],
    )


def placed_mentions(
    catalog: Catalog, key: str | None = None, label: str | None = None
) -> list[PlacedMention]:
    """Every stored mention (of one entity key, or of one label), in file order."""
    conditions, parameters = [], []
    if key is not None:
        conditions.append("m.entity_key = ?")
        parameters.append(key)
    if label is not None:
        conditions.append("m.label = ?")
        parameters.append(label)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = catalog.connection.execute(
        f"SELECT m.*, s.text AS section_text, {PLACEMENT_COLUMNS}"
        " FROM mentions m JOIN sections s ON s.section_id = m.section_id"
        f" JOIN documents d ON d.doc_id = m.doc_id {where}"
        " ORDER BY d.source, m.section_id, m.start",
        parameters,
    ).fetchall()
    return [
        PlacedMention(mention_from_row(row), row["entity_key"], row["section_text"], placement(row))
        for row in rows
    ]


def annotation_rows(catalog: Catalog, table: str) -> list[sqlite3.Row]:
    """The rows of `table` (priorities or figures) joined to their section, if stored,
    and their document, in document order."""
    return catalog.connection.execute(
        f"SELECT t.*, {PLACEMENT_COLUMNS} FROM {table} t"
        " JOIN documents d ON d.doc_id = t.doc_id"
        " LEFT JOIN sections s ON s.section_id = t.section_id"
        " ORDER BY d.source, d.part, t.rowid"
    ).fetchall()


def placed_priorities(catalog: Catalog) -> list[tuple[Priority, Placement]]:
    """Every stated priority with where it is stated."""
    return [
        (priority_from_row(row), placement(row)) for row in annotation_rows(catalog, "priorities")
    ]


def placed_figures(catalog: Catalog) -> list[tuple[Figure, Placement]]:
    """Every reported figure with where it is reported."""
    return [(figure_from_row(row), placement(row)) for row in annotation_rows(catalog, "figures")]


def canonical_names(catalog: Catalog) -> list[str]:
    """The canonical names the stored mentions are linked to, each once."""
    return [row[0] for row in catalog.connection.execute("SELECT DISTINCT canonical FROM mentions")]


@dataclass(frozen=True)
class HeldPassages:
    """What one document's sections are about: one row per distinct attribution."""

    doc_id: str
    doc_type: str
    county: str | None
    #: The section's areas and years, else (a document without sections) the document's.
    districts: list[str]
    year_from: int | None
    year_to: int | None


def held_passages(catalog: Catalog) -> list[HeldPassages]:
    """The areas and years the sections of every document hold, once per distinct
    attribution; the copies of a near-duplicate cluster are left out (the document that
    stands for it is read).  One query, with no section text: the home page reads it."""
    rows = catalog.connection.execute(
        "SELECT DISTINCT d.doc_id, d.doc_type, d.county,"
        " coalesce(s.districts, d.districts) AS districts,"
        " CASE WHEN s.doc_id IS NULL THEN d.year_from ELSE s.year_from END AS year_from,"
        " CASE WHEN s.doc_id IS NULL THEN d.year_to ELSE s.year_to END AS year_to"
        " FROM documents d LEFT JOIN sections s ON s.doc_id = d.doc_id"
        " WHERE d.cluster_id = d.doc_id"
    ).fetchall()
    return [
        HeldPassages(
            doc_id=row["doc_id"],
            doc_type=row["doc_type"],
            county=row["county"],
            districts=json.loads(row["districts"]),
            year_from=row["year_from"],
            year_to=row["year_to"],
        )
        for row in rows
    ]
