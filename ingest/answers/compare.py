"""Comparing CSPs and years, and looking up many terms at once: plain functions over the
catalog and the index, shared by the app's Compare and Batch lookup pages and by tests.

A column is one CSP area in one financial year.  Its priorities are those the plans and
reports of that area and year state; its initiatives are those its sections name; its
figures those its sections report.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ingest.answers.presentation import (
    NO_THEME,
    area_names,
    figure_row,
    period_label,
)
from ingest.answers.queries import (
    figure_rows,
    mention_rows,
    priority_rows,
    search_documents,
)
from ingest.errors import QueryError
from ingest.model import fy_label
from ingest.nlp.linking import normalise
from ingest.paths import MODELS_DIR
from ingest.search.backend import SearchFilters

Column = tuple[str, int]
BATCH_LIMIT = 1000
# Two priorities this alike (rapidfuzz token_sort_ratio of their normalised words) are one
# priority restated: "Tackling the Trafficking of Drugs" / "Tackle the trafficking of drugs".
RESTATED_SIMILARITY = 85
OUTCOMES_FILE = MODELS_DIR / "figures" / "outcomes.json"


def column_label(column: Column) -> str:
    return f"{column[0]} {fy_label(column[1])}"


@dataclass
class Comparison:
    columns: list[Column]
    priorities: dict[Column, list[dict]] = field(default_factory=dict)
    initiatives: dict[Column, set[str]] = field(default_factory=dict)
    figures: dict[Column, list[dict]] = field(default_factory=dict)

    def theme_matrix(self) -> dict[str, dict[str, list[str]]]:
        """{theme: {column label: [priorities on that theme]}}, themes in taxonomy order
        of first appearance, unthemed priorities last."""
        matrix: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for column in self.columns:
            for row in self.priorities.get(column, []):
                for theme in row["themes"] or [NO_THEME]:
                    cell = matrix[theme][column_label(column)]
                    # A priority restated in the plan, the report and the assessment
                    # shows once, as first written.
                    if normalise(row["priority"]) not in map(normalise, cell):
                        cell.append(row["priority"])
        ordered = sorted(matrix, key=lambda theme: theme == NO_THEME)
        return {theme: dict(matrix[theme]) for theme in ordered}

    def shared_initiatives(self) -> set[str]:
        sets = [self.initiatives.get(column, set()) for column in self.columns]
        return set.intersection(*sets) if sets else set()

    def unique_initiatives(self) -> dict[str, set[str]]:
        unique = {}
        for column in self.columns:
            others = set().union(
                *(self.initiatives.get(other, set()) for other in self.columns if other != column)
            )
            unique[column_label(column)] = self.initiatives.get(column, set()) - others
        return unique


def in_column(areas: list[str], period: str | None, column: Column) -> bool:
    return column[0] in areas and period is not None and fy_label(column[1]) in period_years(period)


def period_years(period: str) -> set[str]:
    """'2016-17 to 2018-19' -> {'2016-17', '2017-18', '2018-19'}."""
    starts = [int(year) for year in re.findall(r"(\d{4})-\d{2}", period)]
    if not starts:
        return set()
    return {fy_label(year) for year in range(starts[0], starts[-1] + 1)}


def compare(index_dir: Path, columns: list[Column]) -> Comparison:
    """Priorities, initiatives and figures of each (CSP area, financial year)."""
    comparison = Comparison(columns)
    for column in columns:
        area, year = column
        comparison.priorities[column] = priority_rows(index_dir, area, str(year))
        comparison.figures[column] = figure_rows(index_dir, area, str(year))
    initiative_rows = mention_rows(index_dir, label="INITIATIVE")
    for column in columns:
        comparison.initiatives[column] = {
            row["canonical"]
            for row in initiative_rows
            if row["duplicate_of"] is None and in_column(row["areas"], row["period"], column)
        }
    return comparison


def year_on_year(index_dir: Path, area: str, years: list[int]) -> list[dict]:
    """For successive years of one CSP, the priorities and initiatives that appeared and
    disappeared between them.  A priority restated with other capitals or a small change
    of wording is neither added nor dropped."""
    comparison = compare(index_dir, [(area, year) for year in sorted(years)])
    changes = []
    for before, after in zip(comparison.columns, comparison.columns[1:], strict=False):
        old = distinct_priorities(row["priority"] for row in comparison.priorities[before])
        new = distinct_priorities(row["priority"] for row in comparison.priorities[after])
        changes.append(
            {
                "from": fy_label(before[1]),
                "to": fy_label(after[1]),
                "priorities_added": sorted(p for p in new if not restates_any(p, old)),
                "priorities_dropped": sorted(p for p in old if not restates_any(p, new)),
                "initiatives_added": sorted(
                    comparison.initiatives[after] - comparison.initiatives[before]
                ),
                "initiatives_dropped": sorted(
                    comparison.initiatives[before] - comparison.initiatives[after]
                ),
            }
        )
    return changes


def restates(first: str, second: str) -> bool:
    """True if two priorities are one priority written twice."""
    return fuzz.token_sort_ratio(normalise(first), normalise(second)) >= RESTATED_SIMILARITY


def restates_any(priority: str, others: list[str]) -> bool:
    return any(restates(priority, other) for other in others)


def distinct_priorities(priorities: Iterable[str]) -> list[str]:
    """Each priority once, as first written (the plan, the report and the assessment of
    one year often restate it)."""
    kept: list[str] = []
    for priority in priorities:
        if not restates_any(priority, kept):
            kept.append(priority)
    return kept


def as_query(term: str) -> str:
    """A pasted line as a query: several plain words become one phrase."""
    term = term.strip()
    if '"' in term or re.search(r"\b(AND|OR|NOT)\b", term) or len(term.split()) == 1:
        return term
    return f'"{term}"'


def batch_lookup(
    index_dir: Path, terms: list[str], filters: SearchFilters | None = None
) -> list[dict]:
    """For each term, the documents naming it counted by CSP area and financial year: a
    document counts once in each area and year that one of its matching passages is
    about (a PDF and its text twin, a report and its copy in an agenda pack, once).  A term found
    nowhere has one row of zero; a term that is not a valid query gets its error."""
    rows = []
    for term in dict.fromkeys(term.strip() for term in terms if term.strip()):
        try:
            page = search_documents(index_dir, as_query(term), filters, BATCH_LIMIT, passages=True)
        except QueryError as error:
            rows.append(batch_row(term, error=str(error)))
            continue
        documents: dict[tuple[str, str], set[str]] = defaultdict(set)
        for hit in page.hits:
            for passage in (hit, *hit.passages):
                for area in area_names(passage.districts, passage.county):
                    documents[(area, period_label(passage.period))].add(hit.cluster_id)
        if not documents:
            rows.append(batch_row(term))
        for (area, period), found in sorted(documents.items()):
            rows.append(batch_row(term, area, period, len(found)))
    return rows


def batch_row(
    term: str, area: str = "", period: str = "", documents: int = 0, error: str = ""
) -> dict:
    """One line of a batch lookup: the documents naming a term in one CSP area and year
    (none: blank)."""
    return {
        "term": term,
        "CSP area": area,
        "period": period,
        "documents": documents,
        "error": error,
    }


def batch_grid(rows: list[dict], term: str) -> dict[str, dict[str, int]]:
    """One term's rows of `batch_lookup` as {CSP area: {period: documents}}, for its
    CSP x year grid; empty when the term is found nowhere."""
    grid: dict[str, dict[str, int]] = defaultdict(dict)
    for row in rows:
        if row["term"] == term and row["documents"]:
            grid[row["CSP area"]][row["period"]] = row["documents"]
    return dict(sorted(grid.items()))


def figure_table(comparison: Comparison) -> list[dict]:
    """The outcome figures of every column (a unit and a counted thing that is not one of
    the document's own parts), as rows headed by the column's CSP and year."""
    return [
        {"CSP and year": column_label(column), **without_place(figure_row(figure))}
        for column in comparison.columns
        for figure in comparison.figures[column]
        if is_outcome(figure)
    ]


def is_outcome(figure: dict) -> bool:
    counted = " ".join((figure["counted"] or "").lower().split())
    return bool(figure["unit"] and counted) and counted not in document_parts()


@lru_cache(maxsize=1)
def document_parts() -> frozenset[str]:
    """Counted nouns that number a document's own parts (models/figures/outcomes.json)."""
    data = json.loads(OUTCOMES_FILE.read_text(encoding="utf-8"))
    return frozenset(part.lower() for part in data["document_parts"])


def without_place(row: dict) -> dict:
    return {key: value for key, value in row.items() if key not in ("CSP area", "period")}
