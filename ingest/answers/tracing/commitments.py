"""Which commitments are listed (`csp commitments`) and traced (`csp trace`), and each
one's trace.

A sentence found for several rows of one plan is evidence only for the row (or tied
rows) it fits best: rows on one theme share its words, a report on one activity is
about one of them; every row of a selected row's plan is traced, so filters do not
change which row that is.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ingest.answers.presentation import file_name
from ingest.answers.queries import open_index, parse_year, provenance_of, resolve_district
from ingest.answers.tracing.evidence import find_evidence
from ingest.answers.tracing.library import (
    Library,
    later_documents,
    load_library,
    selected_commitments,
)
from ingest.answers.tracing.status import NO_LATER_DOCUMENTS, settle
from ingest.answers.tracing.traces import Trace
from ingest.errors import FilterError
from ingest.model import Commitment, Document, fy_label
from ingest.search.backend import SearchBackend


def list_commitments(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[Trace]:
    """The commitments made for a CSP and financial year, untraced (`csp commitments`)."""
    area = resolve_district(district) if district else None
    first, last = parse_year(year, "--year") if year else (None, None)
    library = load_library(index_dir)
    return [
        describe(library, document, commitment, made_for, areas)
        for document, commitment, made_for, areas in selected_commitments(
            library, area, first, last
        )
    ]


def trace_commitments(
    index_dir: Path,
    district: str | None = None,
    year_from: str | None = None,
    year_to: str | None = None,
    status: str | None = None,
) -> list[Trace]:
    """Every commitment of the CSP (all CSPs without `district`) made for a financial
    year in the range, with its status and evidence; only those with `status` if given."""
    area = resolve_district(district) if district else None
    first = parse_year(year_from, "--from")[0] if year_from else None
    last = parse_year(year_to, "--to")[1] if year_to else None
    if first is not None and last is not None and first > last:
        raise FilterError(f"--from {first} is after --to {last}")
    library = load_library(index_dir)
    index = open_index(index_dir)
    selection = list(selected_commitments(library, area, first, last))
    plans = {document.doc_id for document, c, _, _ in selection if c.kind == "action_row"}
    # Every row of those plans is traced, selected or not, so that which row a shared
    # sentence goes to does not depend on the filters.
    rows = [
        made
        for made in selected_commitments(library, None, None, None)
        if made[0].doc_id in plans and made[1].kind == "action_row"
    ]
    traced: dict[str, tuple[Document, int, list[str], Trace]] = {}
    for document, commitment, year, areas in selection + rows:
        if commitment.commitment_id not in traced:
            trace = trace_one(library, index, document, commitment, year, areas)
            traced[commitment.commitment_id] = (document, year, areas, trace)
    give_shared_evidence_to_best_rows(library, list(traced.values()))
    chosen = [traced[commitment.commitment_id][3] for _, commitment, _, _ in selection]
    known = provenance_of(index_dir, [document.doc_id for document, _, _, _ in selection])
    for document, commitment, _, _ in selection:
        trace = traced[commitment.commitment_id][3]
        trace.source_url = known[document.doc_id].url if document.doc_id in known else None
        trace.file_name = file_name(document.source, known.get(document.doc_id))
    return [trace for trace in chosen if status is None or trace.status == status]


def give_shared_evidence_to_best_rows(
    library: Library, traced: list[tuple[Document, int, list[str], Trace]]
) -> None:
    """A later sentence found for several rows of one plan reports on the row it fits
    best (equal scores all keep it): a plan's rows on one theme all share its words, but a
    report on one activity is about one of them ("trained 80 Hate Crime Ambassadors" is
    the Ambassadors' sessions, not the hate crime awareness sessions)."""
    best: dict[tuple[str, str, str], float] = defaultdict(float)
    for document, _, _, trace in traced:
        if trace.kind == "action_row":
            for evidence in trace.evidence:
                key = (document.doc_id, evidence.section_id, evidence.quote)
                best[key] = max(best[key], evidence.score)
    for document, year, areas, trace in traced:
        if trace.kind != "action_row":
            continue
        kept = [
            evidence
            for evidence in trace.evidence
            if evidence.score >= best[(document.doc_id, evidence.section_id, evidence.quote)]
        ]
        if len(kept) < len(trace.evidence):
            trace.evidence = kept
            settle(trace, year, later_documents(library, document, areas, year))


def describe(
    library: Library, document: Document, commitment: Commitment, year: int, areas: list[str]
) -> Trace:
    """A commitment with where it was made, before tracing."""
    section = library.sections[commitment.section_id]
    return Trace(
        commitment_id=commitment.commitment_id,
        text=commitment.text,
        kind=commitment.kind,
        areas=areas,
        year=year,
        period=fy_label(year),
        owner=commitment.owner,
        timescale=commitment.timescale,
        measure=commitment.measure,
        priority=commitment.priority,
        title=document.title,
        doc_type=document.doc_type.value,
        source=document.source,
        page=commitment.page,
        heading_path=section.heading_path,
        section_id=section.section_id,
    )


def trace_one(
    library: Library,
    index: SearchBackend,
    document: Document,
    commitment: Commitment,
    year: int,
    areas: list[str],
) -> Trace:
    """The commitment with its status, evidence and the later documents searched."""
    trace = describe(library, document, commitment, year, areas)
    section = library.sections[commitment.section_id]
    later = later_documents(library, document, areas, year)
    trace.searched = [
        {"title": d.title, "doc_type": d.doc_type.value, "period": d.period, "source": d.source}
        for d in later
    ]
    trace.years_covered = sorted(
        {
            fy_label(year)
            for d in later
            if d.year_from is not None  # a later document always has one
            for year in range(d.year_from, (d.year_to or d.year_from) + 1)
        }
    )
    if not later:
        trace.status, trace.confidence = NO_LATER_DOCUMENTS, 1.0
        return trace
    trace.evidence = find_evidence(library, index, commitment, section, year, later, areas)
    settle(trace, year, later)
    return trace
