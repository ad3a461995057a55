"""CSP Search in the browser: `streamlit run search_app.py`.

A layout of widgets over the functions the `csp` command uses (`ingest.queries`,
`ingest.presentation`): no search, attribution or extraction logic lives here.  The
query and filters live in the URL (?q=J9&district=Braintree) so a link reproduces the
view.  Document text is always shown literally, never as markup.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ingest import presentation
from ingest.model import fy_label
from ingest.pages import marked_terms, page_image
from ingest.paths import default_index_dir
from ingest.queries import (
    FilterError,
    build_filters,
    document_rows,
    failed_files,
    run_facets,
    run_search,
    section_text,
)
from ingest.search import QueryError

RESULT_LIMIT = 200
EXAMPLE = 'J9, "Spot It Stop It", "Street Pastors" OR "Purple Flag"'


def main() -> None:
    st.set_page_config(page_title="CSP Search", layout="wide")
    pages = [
        st.Page(search_page, title="Search", url_path="search", default=True),
        st.Page(documents_page, title="Documents", url_path="documents"),
    ]
    st.navigation(pages).run()


def search_page() -> None:
    st.title("CSP Search")
    st.caption("What Community Safety Partnerships did, where, when, and whether it worked.")
    index_dir = default_index_dir()
    try:
        overview = run_facets(index_dir)
    except FilterError as error:
        st.warning(f"{error}. Ingest publications with `csp ingest PATH` and reload.")
        return

    params = st.query_params
    query = st.text_input("Search", value=params.get("q", ""), placeholder=EXAMPLE, key="query")
    try:
        counts = run_facets(index_dir, query) if query.strip() else overview
    except QueryError:
        counts = overview

    with st.sidebar:
        st.header("Filters")
        areas = facet_filter("CSP area", overview.districts, counts.districts, "district")
        years = sorted(overview.years)
        first, last = (years[0], years[-1]) if years else (None, None)
        if len(years) > 1:
            first, last = st.select_slider(
                "Financial year",
                options=years,
                value=(
                    clamp(params.get("from"), years, years[0]),
                    clamp(params.get("to"), years, years[-1]),
                ),
                format_func=fy_label,
                key="years",
            )
        doc_types = facet_filter("Document type", overview.doc_types, counts.doc_types, "type")

    narrowed = years and (first, last) != (years[0], years[-1])
    st.query_params.from_dict(
        {
            "q": query,
            "district": areas,
            "type": doc_types,
            **({"from": str(first), "to": str(last)} if narrowed else {}),
        }
    )
    if not query.strip():
        st.info(f"Type a word or a phrase, for example {EXAMPLE}.")
        return
    try:
        filters = build_filters(
            areas,
            None,
            str(first) if narrowed else None,
            str(last) if narrowed else None,
            doc_types,
        )
        hits = run_search(index_dir, query, filters, RESULT_LIMIT)
    except (FilterError, QueryError) as error:
        st.error(str(error))
        return
    show_results(hits)


def facet_filter(label: str, everything: dict, matching: dict, param: str) -> list[str]:
    """A multi-select of every value in the index, each with its count for the query;
    its choice starts from, and is written back to, the URL parameter `param`."""
    return st.multiselect(
        label,
        sorted(everything),
        default=[value for value in st.query_params.get_all(param) if value in everything],
        format_func=lambda value: f"{value} ({matching.get(value, 0)})",
        key=param,
    )


def clamp(value: str | None, years: list[int], default: int) -> int:
    """A year from the URL, if it is one the index holds."""
    try:
        year = int(value) if value is not None else default
    except ValueError:
        return default
    return year if year in years else default


def show_results(hits: list) -> None:
    groups = presentation.group_hits(hits)
    if not hits:
        st.info("No passages match. Try fewer words, or widen the filters.")
        return
    st.subheader(f"{len(hits)} passages from {len(groups)} CSP areas")
    chart = [
        {"CSP area": area, "financial year": period, "passages": count}
        for area, periods in presentation.area_year_counts(hits).items()
        for period, count in periods.items()
    ]
    st.bar_chart(
        pd.DataFrame(chart), x="financial year", y="passages", color="CSP area", height=220
    )
    st.download_button(
        "Download results (CSV)",
        presentation.hits_csv(hits),
        file_name="csp-search-results.csv",
        mime="text/csv",
    )
    for area, periods in groups:
        st.header(presentation.escape_markdown(area), divider="gray")
        for period, period_hits in periods:
            st.subheader(presentation.escape_markdown(period))
            for hit in period_hits:
                show_hit(hit)


def show_hit(hit) -> None:
    with st.container(border=True):
        st.markdown(f"**{presentation.escape_markdown(hit.title)}**")
        where = " › ".join(hit.heading_path)
        page = f" · page {hit.page}" if hit.page else ""
        st.caption(
            presentation.escape_markdown(f"{hit.doc_type} · {hit.period or ''}{page} · {where}")
        )
        st.markdown(presentation.snippet_markdown(hit.snippet))
        st.caption(presentation.escape_markdown(presentation.source_label(hit)))
        label = f"Open page {hit.page}" if hit.page else "Show the whole passage"
        if st.toggle(label, key=f"open-{hit.section_id}"):
            show_source(hit)


def show_source(hit) -> None:
    """The PDF page with the hit's words marked, or the passage's full text."""
    if hit.page and hit.source.lower().endswith(".pdf") and Path(hit.source).exists():
        st.image(page_image(Path(hit.source), hit.page, marked_terms(hit.snippet)))
        return
    text = section_text(default_index_dir(), hit.section_id)
    st.text(text if text is not None else "This passage is no longer in the index.")


def documents_page() -> None:
    st.title("Documents")
    index_dir = default_index_dir()
    try:
        rows = document_rows(index_dir)
        failures = failed_files(index_dir)
    except FilterError as error:
        st.warning(f"{error}. Ingest publications with `csp ingest PATH` and reload.")
        return
    st.caption(
        f"{len(rows)} documents from {len({row['source'] for row in rows})} files; "
        f"{len(failures)} files failed"
    )
    table = pd.DataFrame(
        [
            {
                "title": row["title"],
                "type": row["doc_type"],
                "CSP area": ", ".join(row["districts"]) or row["county"] or "",
                "period": row["period"] or "",
                "pages": f"{row['page_start']}-{row['page_end']}" if row["page_start"] else "",
                "sections": row["sections"],
                "file": Path(row["source"]).name,
                "duplicate of": row["duplicate_of"] or "",
            }
            for row in rows
        ]
    )
    st.dataframe(table, hide_index=True, use_container_width=True)
    if failures:
        st.subheader("Files that failed")
        st.dataframe(pd.DataFrame(failures), hide_index=True, use_container_width=True)


main()
