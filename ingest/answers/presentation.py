"""How hits are shown: grouped by CSP area and year, snippets as safe markdown, CSV.

Plain functions, so the app stays a layout of widgets and tests can check what a person
sees without a browser.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

from ingest.search.backend import Hit

NO_AREA = "Area not identified"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$:])")
HIGHLIGHT = re.compile(r"«([^«»]*)»")


def area_label(hit: Hit) -> str:
    if hit.districts:
        return ", ".join(hit.districts)
    return f"{hit.county} (county)" if hit.county else NO_AREA


def source_label(hit: Hit) -> str:
    """The file a hit came from, and its twins, by file name."""
    label = Path(hit.source).name
    if hit.also_in:
        label += " (also in " + ", ".join(Path(source).name for source in hit.also_in) + ")"
    return label


def group_hits(hits: list[Hit]) -> list[tuple[str, list[tuple[str, list[Hit]]]]]:
    """[(area, [(period, hits), ...]), ...]: areas by number of hits, periods in order."""
    by_area: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        by_area[area_label(hit)][hit.period or "Period not identified"].append(hit)
    ordered = sorted(by_area.items(), key=lambda item: (-sum(map(len, item[1].values())), item[0]))
    return [(area, sorted(periods.items())) for area, periods in ordered]


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


def hits_csv(hits: list[Hit]) -> str:
    fields = ["area", "period", "title", "doc_type", "heading", "page", "source", "snippet"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(fields)
    for hit in hits:
        writer.writerow(
            [
                area_label(hit),
                hit.period or "",
                hit.title,
                hit.doc_type,
                " > ".join(hit.heading_path),
                hit.page or "",
                hit.source,
                hit.snippet.replace("«", "").replace("»", ""),
            ]
        )
    return buffer.getvalue()


def area_year_counts(hits: list[Hit]) -> dict[str, dict[str, int]]:
    """{area: {period: hits}} for the CSP x year chart."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for hit in hits:
        counts[area_label(hit)][hit.period or "?"] += 1
    return {area: dict(periods) for area, periods in counts.items()}


def matrix_frame(matrix: dict[str, dict[str, int]]):
    """An area x financial-year table of counts (0 where none), years in order."""
    import pandas as pd

    periods = sorted({period for row in matrix.values() for period in row})
    return pd.DataFrame(
        [[matrix[area].get(period, 0) for period in periods] for area in matrix],
        index=list(matrix),
        columns=periods,
    )
