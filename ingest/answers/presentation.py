"""How results are shown, alike in the CLI, the app and CSV files: one label for what a
result may lack (an area, a period, a page) and one row per kind of result, with the same
keys and the same labels wherever it is shown.

The CLI prints the rows (its `--json` prints the results themselves, which keep their
data: a missing period is null there), the app puts them in tables and CSV downloads
write them.  Plain functions, so tests check what a person sees without a browser or a
terminal.
"""

from __future__ import annotations

import csv
import html
import io
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ingest.model import TRACE_STATUSES, Provenance, fy_label
from ingest.paths import printable_path
from ingest.search.backend import Hit, SearchPage

#: A result attributed to no CSP area and no county.
NO_AREA = "area not identified"
#: A result of a county as a whole, attributed to none of its districts.
COUNTY_WIDE = "{county} (county-wide)"
NO_PERIOD = "period not identified"
NO_THEME = "no theme"
#: A CSP area and year the index holds no document of (not "none found": none collected).
NOT_HELD = "–"
NOT_HELD_NOTE = "no documents indexed for that CSP area and year"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")
HIGHLIGHT = re.compile(r"«([^«»]*)»")

# A stored file's name that says nothing to a reader: digits and a long hexadecimal hash
# ("000_cbfd611bb349a817"), as a crawler or a content store names files.
BARE_HASH = re.compile(r"^[\d_\-]*[0-9a-f]{12,}[\d_\-]*$", re.I)

MAX_DOWNLOAD_STEM = 120
FORMAT_NAMES = {"pdf": "PDF", "txt": "text", "md": "text", "html": "HTML", "htm": "HTML"}

# Each kind of commitment (`Commitment.kind`) as a person names it.
COMMITMENT_KINDS = {
    "action_row": "action-plan row",
    "we_will": "statement of intent",
    "next_year_priority": "next year's priority",
    "resolution": "resolution",
    "minutes_action": "action in minutes",
}

# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HIT_COLUMNS = (
    "CSP area",
    "period",
    "date",
    "document",
    "type",
    "heading",
    "page",
    "source link",
    "publisher",
    "retrieved",
    "file",
    "snippet",
    "synonyms",
)
COMMITMENT_COLUMNS = (
    "CSP area", "period", "kind", "commitment", "owner", "timescale", "priority", "status",
    "confidence", "latest evidence", "evidence quote", "evidence period", "evidence page",
    "document", "page", "source link", "file", "documents searched",
)  # fmt: skip


# Labels --------------------------------------------------------------------------------


def area_names(districts: Sequence[str], county: str | None = None) -> list[str]:
    """The areas a result counts for: its districts, else its county as a whole, else
    none identified."""
    if districts:
        return list(districts)
    return [COUNTY_WIDE.format(county=county)] if county else [NO_AREA]


def area_label(districts: Sequence[str], county: str | None = None) -> str:
    return ", ".join(area_names(districts, county))


def period_label(period: str | None) -> str:
    return period or NO_PERIOD


def page_label(page: int | None) -> str:
    """'p. 5', or '' for a source without pages."""
    return f"p. {page}" if page else ""


def heading_label(heading_path: Sequence[str]) -> str:
    return " > ".join(heading_path)


def file_name(source: str, provenance: Provenance | None = None) -> str:
    """A name for a document's file a reader can use: the name it had where it came
    from (an upload's, a download's), else its stored name, but never a bare hash such
    as 000_cbfd611bb349a817.pdf ('' then: the title names the document).  A manifest's
    URL may be a page listing the file, so its last part is no file name."""
    for name in (provenance.original_name if provenance else None, Path(source).name):
        if name and not BARE_HASH.match(Path(name).stem):
            return printable_path(name)
    return ""


def source_label(name: str, source: str = "", also_in: Sequence[str] = ()) -> str:
    """A file by its readable name (`file_name`), else its kind ("PDF file"), with the
    kinds of its twins: "report.pdf (also as text file)"."""
    label = name or format_label(source)
    twins = [format_label(other) for other in also_in]
    if twins:
        label += " (also as " + ", ".join(twin for twin in twins if twin) + ")"
    return label


def format_label(source: str) -> str:
    """'PDF file', 'text file': a stored file by its kind, when its name says nothing."""
    suffix = Path(source).suffix.lstrip(".").lower()
    kind = FORMAT_NAMES.get(suffix, suffix.upper())
    return f"{kind} file" if kind else ""


def readable_name(title: str | None, publisher: str | None, name: str = "") -> str:
    """A document as a reader cites it: "Annual Report 2022-23 (Braintree District
    Community Safety Partnership)", its title and publisher, else its file's original
    name (`file_name`), else ""."""
    if title:
        return f"{title} ({publisher})" if publisher else title
    return name


def cited_file(file: str, title: str | None, known: Mapping[str, Provenance]) -> dict:
    """One stored file as `--json` names it: `source` the address it was published at
    (None when unknown), `name` readable (`readable_name`), `file` the path on this
    machine."""
    provenance = known.get(file)
    return {
        "source": provenance.url if provenance else None,
        "name": readable_name(
            title, provenance.publisher if provenance else None, file_name(file, provenance)
        ),
        "file": file,
    }


def stored_files(record: Any) -> set[str]:
    """Every stored file a `--json` record names (its `source` or `file`, its `also_in`),
    in it and in the records it holds (passages, evidence, mentions)."""
    if isinstance(record, list):
        return set().union(*map(stored_files, record))
    if not isinstance(record, dict):
        return set()
    own = record.get("source", record.get("file"))
    files = {own} if isinstance(own, str) else set()
    files |= set(record.get("also_in") or ())
    return files.union(*(stored_files(value) for value in record.values()))


def cited_json(record: Any, known: Mapping[str, Provenance]) -> Any:
    """A `--json` record (and the records it holds) with each stored file named as a
    reader cites it (`cited_file`): `source` the link, `name`, `file` the local path, and
    `also_in` the other copies alike; `known` is where each file came from.  The
    record's `source_url`, now its `source`, is dropped."""
    if isinstance(record, list):
        return [cited_json(item, known) for item in record]
    if not isinstance(record, dict):
        return record
    cited = {key: cited_json(value, known) for key, value in record.items()}
    own = record.get("source", record.get("file"))
    if not isinstance(own, str):
        return cited
    cited.pop("source_url", None)
    cited.update(cited_file(own, record.get("title"), known))
    if "also_in" in record:
        cited["also_in"] = [
            cited_file(copy, record.get("title"), known) for copy in record["also_in"]
        ]
    return cited


def provenance_label(url: str | None, publisher: str | None, retrieved: str | None) -> str:
    """'https://… · Braintree District Council · retrieved 2024-05-01', the parts known."""
    parts = [url, publisher, f"retrieved {retrieved}" if retrieved else None]
    return " · ".join(printable_path(part) for part in parts if part)


def download_name(title: str, name: str, source: str) -> str:
    """The name an original file is saved under: its readable name, else its title
    made safe as a file name, with the stored file's suffix ("Annual Report 2022-23.pdf")."""
    if name:
        return name
    stem = re.sub(r"[^\w\-. ]+", " ", title)
    stem = " ".join(stem.split())[:MAX_DOWNLOAD_STEM].strip(" .") or "document"
    return stem + Path(source).suffix.lower()


def link_markdown(label: str, url: str) -> str:
    """A markdown link showing `label` literally; the URL's brackets and spaces
    percent-encoded so none ends the link early."""
    target = quote(url, safe=":/?#[]@!$&'*+,;=%~")
    target = target.replace("(", "%28").replace(")", "%29").replace("[", "%5B").replace("]", "%5D")
    return f"[{escape_markdown(label)}]({target})"


def synonym_label(synonyms: Sequence[str]) -> str:
    """'found as: domestic abuse', or '' when the query's own words found it."""
    return "found as: " + ", ".join(synonyms) if synonyms else ""


def plural(count: int, noun: str) -> str:
    """'1 passage', '3 passages', '1,204 documents'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def totals_label(page: SearchPage) -> str:
    """'1–20 of 57 documents (143 passages)', or 'No documents match' when none does."""
    if not page.total_documents:
        return "No documents match"
    passages = plural(page.total_passages, "passage")
    if not page.hits:
        return f"No more documents: {plural(page.total_documents, 'document')} in all ({passages})"
    first, last = page.offset + 1, page.offset + len(page.hits)
    shown = f"{first:,}" if first == last else f"{first:,}–{last:,}"
    return f"{shown} of {plural(page.total_documents, 'document')} ({passages})"


def coverage_label(summary: dict) -> str:
    """'19 documents from 14 CSP areas, 2009-10 to 2022-23; types: committee report (8),
    action plan (2)': what an index holds (`Coverage.summary`)."""
    if not summary["documents"]:
        return "No documents are indexed yet."
    first, last = summary["year_from"], summary["year_to"]
    years = f", {fy_label(first)} to {fy_label(last)}" if first is not None else ""
    kinds = ", ".join(f"{kind} ({count:,})" for kind, count in summary["doc_types"].items())
    areas = plural(summary["areas"], "CSP area")
    return f"{plural(summary['documents'], 'document')} from {areas}{years}; types: {kinds}"


def more_passages_label(hit: Hit) -> str:
    """'3 more passages in this document', or '' when the best passage is the only one."""
    if not hit.more_passages:
        return ""
    return f"{plural(hit.more_passages, 'more passage')} in this document"


def unmatched_label(words: Sequence[str]) -> str:
    """'No passage contains "stpo".', naming the query's words that matched nothing."""
    if not words:
        return ""
    quoted = ", ".join(f"“{word}”" for word in words)
    return f"No passage contains {quoted}."


def kind_label(kind: str) -> str:
    """A commitment's kind in words: "next year's priority", never "next_year_priority"."""
    return COMMITMENT_KINDS.get(kind, kind.replace("_", " "))


def status_tally(traces: Iterable[Any]) -> list[tuple[str, int]]:
    """How many commitments have each status, in the order of `TRACE_STATUSES`, the
    statuses no commitment has left out."""
    counts: dict[str, int] = defaultdict(int)
    for trace in traces:
        if trace.status:
            counts[trace.status] += 1
    return [(status, counts[status]) for status in TRACE_STATUSES if counts[status]]


def tally_label(traces: Iterable[Any]) -> str:
    """'4 delivered · 2 in progress · 1 unclear · 3 no later mention found'."""
    return " · ".join(f"{count} {status}" for status, count in status_tally(traces))


def citation(title: str, *details: str | None) -> str:
    """'Title (annual report, p. 5)': a title with those of its details that are set."""
    shown = ", ".join(detail for detail in details if detail)
    return f"{title} ({shown})" if shown else title


def marked_terms(snippet: str) -> list[str]:
    """The matched words of a snippet («J9» → J9), once each, longest first: what a page
    preview highlights."""
    terms = {term.strip() for term in HIGHLIGHT.findall(snippet) if term.strip()}
    return sorted(terms, key=lambda term: (-len(term), term))


def unmarked(snippet: str) -> str:
    """A snippet without its «match» marks."""
    return snippet.replace("«", "").replace("»", "")


# Rows ----------------------------------------------------------------------------------


def hit_row(hit: Hit) -> dict:
    return {
        "CSP area": area_label(hit.districts, hit.county),
        "period": period_label(hit.period),
        "date": hit.date or "",
        "document": hit.title,
        "type": hit.doc_type,
        "heading": heading_label(hit.heading_path),
        "page": hit.page or "",
        "source link": hit.source_url or "",
        "publisher": hit.publisher or "",
        "retrieved": hit.retrieved or "",
        "file": source_label(hit.file_name, hit.source, hit.also_in),
        "snippet": hit.snippet,
        "synonyms": synonym_label(hit.synonyms),
    }


def document_row(document: dict) -> dict:
    """A row of `document_rows`, as shown."""
    first, last = document["page_start"], document["page_end"]
    return {
        "title": document["title"],
        "type": document["doc_type"],
        "CSP area": area_label(document["districts"], document["county"]),
        "period": period_label(document["period"]),
        "date": document["date"] or "",
        "pages": f"{first}-{last}" if first else "",
        "sections": document["sections"],
        "entity mentions": document["entities"],
        "source link": document["source_url"] or "",
        "publisher": document["publisher"] or "",
        "retrieved": document["retrieved"] or "",
        "file": source_label(document["file_name"], document["source"]),
        "duplicate of": document["duplicate_of"] or "",
    }


def entity_row(summary: dict) -> dict:
    """An entity of `entity_summaries`, with the areas and years it appears in."""
    return {
        "name": summary["name"],
        "type": summary["type"],
        "passages": summary["passages"],
        "mentions": summary["mentions"],
        "documents": summary["documents"],
        "CSP areas": "; ".join(
            f"{area} {', '.join(years)}" for area, years in summary["areas"].items()
        ),
    }


def mention_row(appearance: dict, mention: dict) -> dict:
    """One mention of an entity (`entity_detail`'s appearances), keyed as a hit is."""
    return {
        "CSP area": appearance["area"],
        "period": appearance["period"],
        "document": mention["title"],
        "type": mention["doc_type"],
        "heading": heading_label(mention["heading_path"]),
        "page": mention["page"] or "",
        "file": source_label(
            file_name(mention["file"]), mention["file"], mention.get("also_in", ())
        ),
        "snippet": mention["snippet"],
    }


def priority_row(priority: dict) -> dict:
    return {
        "CSP area": area_label(priority["areas"]),
        "period": period_label(priority["period"]),
        "priority": priority["priority"],
        "themes": ", ".join(priority["themes"]) or NO_THEME,
        "document": priority["title"],
        "page": priority["page"] or "",
    }


def figure_row(figure: dict) -> dict:
    return {
        "CSP area": area_label(figure["areas"]),
        "period": period_label(figure["period"]),
        "figure": figure["figure"],
        "what": figure["counted"] or "",
        "direction": figure["direction"] or "",
        "unit": figure["unit"],
        "document": figure["title"],
        "page": figure["page"] or "",
    }


def commitment_row(trace: Any) -> dict:
    """A commitment (an `ingest.answers.tracing` Trace), with its status and latest
    evidence once traced."""
    latest = trace.evidence[-1] if trace.evidence else None
    return {
        "CSP area": area_label(trace.areas),
        "period": period_label(trace.period),
        "kind": kind_label(trace.kind),
        "commitment": trace.text,
        "owner": trace.owner or "",
        "timescale": trace.timescale or "",
        "priority": trace.priority or "",
        "status": trace.status or "",
        "confidence": trace.confidence,
        "latest evidence": latest.title if latest else "",
        "evidence quote": latest.quote if latest else "",
        "evidence period": period_label(latest.period) if latest else "",
        "evidence page": (latest.page or "") if latest else "",
        "document": trace.title,
        "page": trace.page or "",
        "source link": trace.source_url or "",
        "file": source_label(trace.file_name, trace.source),
        "documents searched": len(trace.searched),
    }


def evidence_row(evidence: Any) -> dict:
    """One piece of a trace's evidence (a TraceEvidence)."""
    return {
        "status": evidence.status,
        "quote": evidence.quote,
        "document": evidence.title,
        "period": period_label(evidence.period),
        "page": evidence.page or "",
        "confidence": evidence.confidence,
    }


def searched_label(trace: Any) -> str:
    """What was searched for a commitment no later document reports on."""
    count = len(trace.searched)
    if not count:
        return "no later documents to search"
    years = ", ".join(trace.years_covered)
    return f"searched {count} later document{'' if count == 1 else 's'}: {years}"


def run_file_row(file: dict) -> dict:
    """One file of an ingest run (`run_history`'s files)."""
    return {
        "status": file["status"],
        "parser": file["format"] or "-",
        "pages": file["pages"] or "-",
        "ocr": file["ocr_pages"],
        "no text": file["textless_pages"],
        "sections": file["sections"] or 0,
        "entities": file["entities"],
        "seconds": round(file["seconds"] or 0, 2),
        "path": printable_path(file["path"]),
        "reason": file["reason"] or "",
    }


def run_row(run: dict) -> dict:
    """One ingest run (`run_history`'s runs): when it started, how it ended, its counts."""
    if run["interrupted"]:
        state = "interrupted"
    elif run["finished_at"] is None:
        state = "running"
    else:
        state = f"{run['finished_at'] - run['started_at']:.1f}s"
    return {
        "run": run["run_id"],
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run["started_at"])),
        "state": state,
        "counts": ", ".join(f"{count} {status}" for status, count in run["counts"].items()),
    }


def rows_csv(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """CSV with every text cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula ("=HYPERLINK(...)", "+1", "@SUM")
    kept as text by a leading apostrophe (OWASP's CSV injection advice); numbers as
    they are."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def hits_csv(hits: list[Hit]) -> str:
    rows = ({**hit_row(hit), "snippet": unmarked(hit.snippet)} for hit in hits)
    return rows_csv(rows, HIT_COLUMNS)


def commitments_csv(traces: Iterable[Any]) -> str:
    """One row per commitment with its status and latest evidence (`csp trace --csv`,
    the app's download)."""
    return rows_csv(map(commitment_row, traces), COMMITMENT_COLUMNS)


# Search results in the app -------------------------------------------------------------


def group_hits(hits: list[Hit]) -> list[tuple[str, list[tuple[str, list[Hit]]]]]:
    """[(area, [(period, hits), ...]), ...]: areas, and periods within each, in the order
    of their first hit, so the order the hits were sorted in (best match, newest, area)
    leads."""
    by_area: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        by_area[area_label(hit.districts, hit.county)][period_label(hit.period)].append(hit)
    return [(area, list(periods.items())) for area, periods in by_area.items()]


@dataclass
class AreaYearGrid:
    """Documents by CSP area and financial year: a heat map that stays readable for any
    number of areas.  `areas` are the rows, most documents first, the areas past the
    first `TOP_AREAS` summed into one `OTHER_AREAS` row; `periods` the columns, every
    financial year from the first to the last in order (a plan of 2010-11 to 2011-12
    counts in both its years), then NO_PERIOD when a passage has no year; `counts` the
    documents in each cell."""

    areas: list[str]
    periods: list[str]
    counts: list[list[int]]
    other_areas: int = 0


#: Rows of the area x year grid before the rest are summed into one.
TOP_AREAS = 12
OTHER_AREAS = "{count} other areas"


def area_year_grid(hits: list[Hit], top: int = TOP_AREAS) -> AreaYearGrid:
    """The grid of `hits` (one per document): a document counts in each area and year
    one of its passages shown (its best and its `passages`) is about, once per cell."""
    cells_of = [document_cells(hit) for hit in hits]
    documents: dict[str, int] = defaultdict(int)
    for cells in cells_of:
        for area in {area for area, _ in cells}:
            documents[area] += 1
    ranked = sorted(documents, key=lambda area: (-documents[area], area.lower()))
    # An "other areas" row of one area hides a name for nothing.
    shown = ranked if len(ranked) <= top + 1 else ranked[:top]
    others = len(ranked) - len(shown)
    rows = [*shown, OTHER_AREAS.format(count=others)] if others else shown
    years = {year for cells in cells_of for _, year in cells if year is not None}
    first = min(years, default=0)
    periods = [fy_label(year) for year in range(first, max(years) + 1)] if years else []
    undated = any(year is None for cells in cells_of for _, year in cells)
    counts = [[0] * (len(periods) + undated) for _ in rows]
    row_of = {area: number for number, area in enumerate(shown)}
    for cells in cells_of:
        # A document in several of the other areas counts once in their row.
        placed = {(row_of.get(area, len(shown)), year) for area, year in cells}
        for row_number, year in placed:
            counts[row_number][len(periods) if year is None else year - first] += 1
    return AreaYearGrid(rows, [*periods, NO_PERIOD] if undated else periods, counts, others)


def document_cells(hit: Hit) -> set[tuple[str, int | None]]:
    """(area, financial year) pairs a document's shown passages are about; None for a
    passage without years."""
    cells: set[tuple[str, int | None]] = set()
    for passage in [hit, *hit.passages]:
        years: list[int | None] = [*covered_years(passage)] or [None]
        cells.update(
            (area, year) for area in area_names(passage.districts, passage.county) for year in years
        )
    return cells


def covered_years(hit: Hit) -> list[int]:
    """The financial years (as the year they start) a hit's period covers."""
    if hit.year_from is None:
        return []
    last = hit.year_to if hit.year_to is not None else hit.year_from
    return list(range(hit.year_from, max(last, hit.year_from) + 1))


def escape_markdown(text: str) -> str:
    """Document text as markdown that shows every character literally."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def snippet_markdown(snippet: str) -> str:
    """A snippet with its «matched» words in bold and nothing else interpreted."""
    parts = HIGHLIGHT.split(snippet)
    return "".join(
        f"**{escape_markdown(part)}**" if index % 2 else escape_markdown(part)
        for index, part in enumerate(parts)
    )


def matrix_frame(matrix: dict[str, dict[str, int]]):
    """An area x financial-year table of counts (0 where none), years in order."""
    import pandas as pd

    periods = sorted({period for row in matrix.values() for period in row})
    return pd.DataFrame(
        [[matrix[area].get(period, 0) for period in periods] for area in matrix],
        index=list(matrix),
        columns=periods,
    )


def matrix_html(
    matrix: Mapping[str, Mapping[str, int | None]],
    columns: Sequence[str],
    totals: Mapping | None = None,
    link: Callable[[str, str], str | None] = lambda area, period: None,
) -> str:
    """An area x financial-year table as HTML: a count per cell (a link where `link`
    gives one), "–" where the index holds no document of that area and year (None), and
    with `totals` ({"areas": {...}, "periods": {...}, "all": n}) a total column and
    row.  Every label is escaped: the table is shown as HTML."""

    def cell(value: int | None, url: str | None) -> str:
        if value is None:
            return f'<td title="{NOT_HELD_NOTE}">{NOT_HELD}</td>'
        shown = f"{value:,}"
        return (
            f'<td><a href="{html.escape(url)}" target="_self">{shown}</a></td>'
            if url
            else f"<td>{shown}</td>"
        )

    head = "".join(f'<th scope="col">{html.escape(column)}</th>' for column in columns)
    if totals is not None:
        head += '<th scope="col">total</th>'
    body = []
    for area, row in matrix.items():
        cells = "".join(cell(row.get(period), link(area, period)) for period in columns)
        if totals is not None:
            cells += f"<td><strong>{totals['areas'].get(area, 0):,}</strong></td>"
        body.append(f'<tr><th scope="row">{html.escape(area)}</th>{cells}</tr>')
    if totals is not None:
        cells = "".join(
            f"<td><strong>{totals['periods'].get(period, 0):,}</strong></td>" for period in columns
        )
        cells += f"<td><strong>{totals['all']:,}</strong></td>"
        body.append(f'<tr><th scope="row">total</th>{cells}</tr>')
    return (
        f'<table class="csp-matrix"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def upload_outcome(result: Any) -> tuple[str, str]:
    """How the app reports one uploaded file (a `FileResult`): (level, line).

    "error" when nothing was stored; "warning" when it was stored but not as a clean
    new document: the reader repaired it or missed pages, or it is a near-duplicate of a
    document already stored ("also in ..."), which search shows once; "info" when the
    same bytes were stored before; else "success"."""
    notes = [result.reason] if result.reason else []
    if result.also_in:
        notes.append("also in " + "; ".join(result.also_in))
    line = f"{printable_path(Path(result.path).name)}: {result.status}" + (
        f" — {'; '.join(notes)}" if notes else ""
    )
    if result.status == "failed":
        return "error", line
    if result.status in ("duplicate", "unchanged"):
        return "info", line
    return ("warning" if notes else "success"), line
