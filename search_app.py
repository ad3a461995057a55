"""CSP Search in the browser: `streamlit run search_app.py`.

A layout of widgets over the functions the `csp` command uses (`ingest.answers.queries`
for results, `ingest.answers.presentation` for their rows and labels): no search,
attribution or extraction logic lives here, and no result is shaped here.  The query and
filters live in the URL (?q=J9&district=Braintree) so a link reproduces the view.
Document text is always shown literally, never as markup.

The search page loads neither spaCy nor the PDF library, and its first run (the home
page) not pandas: tracing, uploads, page previews and tables are imported by the pages
and widgets that use them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from ingest.answers import presentation
from ingest.answers.compare import (
    Column,
    batch_grid,
    batch_lookup,
    column_label,
    compare,
    figure_table,
    year_on_year,
)
from ingest.answers.coverage import Coverage, coverage, gap_message, with_gaps
from ingest.answers.queries import (
    build_filters,
    document_rows,
    entity_detail,
    entity_summaries,
    failed_files,
    priority_rows,
    rebuild_index,
    run_facets,
    search_documents,
    search_page_facets,
    section_text,
    theme_matrix,
)
from ingest.errors import CspError, IndexFailed, IndexMissing
from ingest.model import fy_label
from ingest.nlp.taxonomy import theme_names
from ingest.paths import default_index_dir
from ingest.search.backend import SORTS, SearchPage

# Documents on the search page at first; "Show more" adds as many again.
PAGE_SIZE = 20
SORT_LABELS = {"relevance": "Best match", "newest": "Newest first", "area": "CSP area"}
# The columns of the commitments table, the status first and pinned so a phone's
# narrow screen shows it beside the scrolling text; the CSV download has them all.
COMMITMENT_COLUMNS = [
    "status", "commitment", "confidence", "owner", "timescale", "priority", "kind",
    "latest evidence", "document", "source link",
]  # fmt: skip
# The session-state key of a hit's "more passages" expander, before its section id.
PASSAGES_KEY = "passages-"
# The first words of a quote are what is marked on its PDF page.
MARKED_WORDS = 6
EXAMPLE = 'J9, "Spot It Stop It", "Street Pastors" OR "Purple Flag"'
# The search page's filters: URL parameter, label, and the facet that counts its values.
FACET_LABELS = {
    "district": "CSP area",
    "type": "Document type",
    "initiative": "Initiative",
    "partner": "Partner",
    "theme": "Theme",
}
FACETS = {
    "district": "districts",
    "type": "doc_types",
    "initiative": "initiatives",
    "partner": "partners",
    "theme": "themes",
}
SYNTAX_HELP = """
- Words are ranked, not required: `street pastors night time` finds sections with the
  most of them first; case and word endings do not matter.
- `"quoted phrase"`: these words together, in this order.
- `AND`, `OR`, `NOT` (in capitals) and brackets: `"Purple Flag" OR "Street Pastors"`,
  `burglary NOT vehicle`.
- `+word`: only sections with this word: `+J9 training`.
- The filters at the side keep CSP areas (a county takes all its districts), financial
  years, document types, initiatives, partners and themes; each option shows the number
  of documents choosing it lists.
"""


def main() -> None:
    st.set_page_config(page_title="CSP Search", layout="wide")
    pages = [
        st.Page(search_page, title="Search", url_path="search", default=True),
        st.Page(entities_page, title="Initiatives and partners", url_path="entities"),
        st.Page(compare_page, title="Compare", url_path="compare"),
        st.Page(batch_page, title="Batch lookup", url_path="batch"),
        st.Page(commitments_page, title="Commitments", url_path="commitments"),
        st.Page(coverage_page, title="Coverage", url_path="coverage"),
        st.Page(documents_page, title="Documents", url_path="documents"),
    ]
    st.navigation(pages).run()


def search_page() -> None:
    st.title("CSP Search")
    st.caption("What Community Safety Partnerships did, where, when, and whether it worked.")
    index_dir = default_index_dir()
    try:
        # From the catalog alone, shown before the search index is opened.
        held = coverage(index_dir)
    except CspError as error:
        warn_no_index(error)
        return
    st.markdown(
        presentation.escape_markdown(f"Indexed: {presentation.coverage_label(held.summary())}.")
    )
    show_link("What is indexed, by CSP area and year →", "/coverage")
    try:
        overview = run_facets(index_dir, documents=True)
    except CspError as error:
        warn_no_index(error)
        return

    params = st.query_params
    query = search_box()
    years = sorted(overview.years)
    first, last = chosen_years(years)
    narrowed = bool(years) and (first, last) != (years[0], years[-1])
    chosen = {param: chosen_values(param, overview) for param in FACETS}
    problem: CspError | None = None
    try:
        filters = build_filters(
            chosen["district"],
            None,
            str(first) if narrowed else None,
            str(last) if narrowed else None,
            chosen["type"],
            chosen["initiative"],
            chosen["partner"],
            chosen["theme"],
        )
        counts = search_page_facets(index_dir, query, filters)
    except CspError as error:  # shown in place of the results
        problem, counts = error, overview

    with st.sidebar:
        st.header("Filters")
        for param, label in FACET_LABELS.items():
            if param == "type" and len(years) > 1:  # the years sit between area and type
                st.select_slider(
                    "Financial year",
                    options=years,
                    value=(first, last),
                    format_func=fy_label,
                    key="years",
                )
            facet_filter(
                label, getattr(overview, FACETS[param]), getattr(counts, FACETS[param]), param
            )

    sort: str = (
        st.selectbox(
            "Sort by",
            list(SORTS),
            index=SORTS.index(params["sort"]) if params.get("sort") in SORTS else 0,
            format_func=lambda value: SORT_LABELS[value],
            key="sort",
        )
        or SORTS[0]
    )
    # A new search starts with one page; "Show more" keeps its count in the URL.
    searched = (query, first, last, *map(tuple, chosen.values()), sort)
    same_search = st.session_state.get("searched", searched) == searched
    st.session_state["searched"] = searched
    shown = positive(params.get("shown"), PAGE_SIZE) if same_search else PAGE_SIZE
    st.query_params.from_dict(
        {
            "q": query,
            **chosen,
            **({"from": str(first), "to": str(last)} if narrowed else {}),
            **({"sort": sort} if sort != SORTS[0] else {}),
            **({"shown": str(shown)} if shown != PAGE_SIZE else {}),
        }
    )
    if not query.strip() and not (chosen["initiative"] or chosen["partner"] or chosen["theme"]):
        st.info(f"Type a word or a phrase, for example {EXAMPLE}.")
        return
    try:
        if problem is not None:
            raise problem
        # The chart needs every shown passage's area and years; their snippets are
        # marked (and sent) only once an expander is opened: a broad query's 20
        # documents have hundreds of passages.
        page = search_documents(
            index_dir, query, filters, shown, 0, sort, True, passage_snippets=passages_opened()
        )
    except CspError as error:
        st.error(str(error))
        return
    if not page.total_documents:
        year_from, year_to = (first, last) if narrowed else (None, None)
        show_no_results(held, chosen["district"], year_from, year_to, chosen["type"])
    show_results(page, shown)


def show_no_results(
    held: Coverage,
    areas: list[str],
    year_from: int | None,
    year_to: int | None,
    doc_types: list[str],
) -> None:
    """Why nothing matched: the filters chose areas and years no document was collected
    for, or documents exist there and none matches; with the way to what is indexed."""
    st.warning(
        presentation.escape_markdown(gap_message(held, areas, year_from, year_to, doc_types))
    )
    show_link("What is indexed →", coverage_url(areas, doc_types))


def coverage_url(areas: Sequence[str] = (), doc_types: Sequence[str] = ()) -> str:
    """The Coverage page, on these areas and types."""
    query = [("district", area) for area in areas] + [("type", kind) for kind in doc_types]
    return "/coverage" + ("?" + "&".join(f"{k}={quote(v)}" for k, v in query) if query else "")


def show_link(label: str, url: str) -> None:
    """A link that opens in this tab, its label shown literally."""
    st.markdown(
        f'<a href="{html.escape(url)}" target="_self">{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )


def search_box() -> str:
    """The query box (from ?q=), a Search button and the query language in brief."""
    box, button = st.columns([8, 1], vertical_alignment="bottom")
    query = box.text_input(
        "Search", value=st.query_params.get("q", ""), placeholder=EXAMPLE, key="query"
    )
    # The box keeps what was typed when it loses focus to the button, whose click reruns.
    button.button("Search", key="search_button", type="primary", use_container_width=True)
    with st.expander("How to search"):
        st.markdown(SYNTAX_HELP)
    return query


def chosen_years(years: list[int]) -> tuple[int | None, int | None]:
    """The financial-year range chosen: the slider's, else the URL's, else every year."""
    if not years:
        return None, None
    if "years" in st.session_state:
        first, last = st.session_state["years"]
        return first, last
    return (
        clamp(st.query_params.get("from"), years, years[0]),
        clamp(st.query_params.get("to"), years, years[-1]),
    )


def chosen_values(param: str, overview) -> list[str]:
    """A filter's values as chosen: its multi-select's, else the URL's that the index
    holds.  Read before the filters are drawn, so their counts can follow the choice."""
    if param in st.session_state:
        return list(st.session_state[param])
    everything = getattr(overview, FACETS[param])
    return [value for value in st.query_params.get_all(param) if value in everything]


def warn_no_index(error: CspError) -> None:
    """Why there is nothing to show: no index yet, or one this version cannot read; a
    missing or damaged search index can be rebuilt from the catalog from here."""
    if isinstance(error, IndexMissing):
        st.warning(f"{error}. Ingest publications with `csp ingest PATH` and reload.")
        return
    st.error(str(error))
    if isinstance(error, IndexFailed) and st.button(
        "Rebuild the search index from the catalog", key="rebuild_index"
    ):
        with st.spinner("Rebuilding the search index from the catalog…"):
            outcome = rebuild_index(default_index_dir())
        st.success(outcome)
        st.button("Continue", key="after_rebuild")


def facet_filter(label: str, everything: dict, matching: dict, param: str) -> list[str]:
    """A multi-select of every value in the index, each with the number of documents
    choosing it lists; its choice starts from, and is written back to, the URL parameter
    `param`."""
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


def positive(value: str | None, default: int) -> int:
    """A count from the URL, if it is a positive whole number."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if number > 0 else default


def show_results(page: SearchPage, shown: int) -> None:
    if page.unmatched:
        st.warning(presentation.escape_markdown(presentation.unmatched_label(page.unmatched)))
    if page.suggestion:
        st.button(
            f"Did you mean: {page.suggestion}",
            key="suggestion",
            on_click=search_instead,
            args=(page.suggestion,),
        )
    if not page.hits:
        if page.total_documents:  # paged past the end
            st.info(presentation.totals_label(page))
        return
    hits = page.hits
    st.subheader(presentation.escape_markdown(presentation.totals_label(page)))
    show_area_year_grid(presentation.area_year_grid(hits))
    st.download_button(
        "Download results (CSV)",
        presentation.hits_csv(hits),
        file_name="csp-search-results.csv",
        mime="text/csv",
    )
    for area, periods in presentation.group_hits(hits):
        st.header(presentation.escape_markdown(area), divider="gray")
        for period, period_hits in periods:
            st.subheader(presentation.escape_markdown(period))
            for hit in period_hits:
                show_hit(hit)
    if len(hits) < page.total_documents:
        st.button(
            f"Show more ({len(hits)} of {page.total_documents} shown)",
            key="show_more",
            on_click=show_more,
            args=(shown + PAGE_SIZE,),
        )


def show_area_year_grid(grid: presentation.AreaYearGrid) -> None:
    """The documents shown as a CSP x year heat map: a table, so that every area and
    year is named however many there are, its cells shaded by their count."""
    import pandas as pd

    st.markdown("**Documents shown, by CSP area and financial year**")
    most = max((count for row in grid.counts for count in row), default=0) or 1
    frame = pd.DataFrame(grid.counts, index=grid.areas, columns=grid.periods)
    st.table(frame.style.format(lambda count: count or "").map(lambda count: shade(count, most)))
    note = "A document covering several years counts in each of them."
    if grid.other_areas:
        note += f" The last row counts the documents of the {grid.other_areas} areas after "
        note += f"the first {len(grid.areas) - 1}."
    st.caption(note)


def shade(count: int, most: int) -> str:
    """A heat map cell's CSS: darker for more documents, none for none."""
    if not count:
        return ""
    strength = 0.15 + 0.75 * count / most
    text = "white" if strength > 0.55 else "inherit"
    return f"background-color: rgba(31, 119, 180, {strength:.2f}); color: {text}"


def search_instead(query: str) -> None:
    """Run the suggested query: the search box takes it from the URL."""
    st.query_params["q"] = query
    st.session_state.pop("query", None)


def show_more(shown: int) -> None:
    st.query_params["shown"] = str(shown)


def show_hit(hit) -> None:
    with st.container(border=True):
        row = presentation.hit_row(hit)
        st.markdown(f"**{presentation.escape_markdown(row['document'])}**")
        st.caption(caption(row["type"], row["period"], hit.page, row["heading"], row["date"]))
        st.markdown(presentation.snippet_markdown(row["snippet"]))
        show_provenance(row, hit.title, hit.file_name, hit.source, f"download-{hit.section_id}")
        if row["synonyms"]:
            st.caption(presentation.escape_markdown(row["synonyms"]))
        label = f"Open page {hit.page}" if hit.page else "Show the whole passage"
        if st.toggle(label, key=f"open-{hit.section_id}"):
            show_source(hit)
        if hit.more_passages:
            more = st.expander(
                presentation.more_passages_label(hit),
                key=f"{PASSAGES_KEY}{hit.section_id}",
                on_change="rerun",
            )
            if more.open:
                with more:
                    for passage in hit.passages:
                        heading = presentation.heading_label(passage.heading_path)
                        st.caption(caption("", None, passage.page, heading))
                        st.markdown(presentation.snippet_markdown(passage.snippet))


def passages_opened() -> bool:
    """Whether a hit's "more passages" expander is open (its opening reruns the page)."""
    return any(
        str(key).startswith(PASSAGES_KEY) and value for key, value in st.session_state.items()
    )


def show_provenance(row: dict, title: str, name: str, source: str, key: str) -> None:
    """Where a document came from: its source link, publisher and day retrieved, its file
    by a readable name, and a button that downloads the original file."""
    known = presentation.provenance_label(None, row["publisher"], row["retrieved"])
    parts = [
        presentation.link_markdown(row["source link"], row["source link"])
        if row["source link"]
        else "",
        presentation.escape_markdown(known),
        presentation.escape_markdown(row["file"]),
    ]
    st.caption("Source: " + " · ".join(part for part in parts if part))
    download_original(title, name, source, key)


def download_original(title: str, name: str, source: str, key: str) -> None:
    """A button that saves the original file, read only when it is pressed."""
    path = Path(source)
    if not path.is_file():
        return
    st.download_button(
        f"Download the original ({presentation.format_label(source)})",
        data=partial(path.read_bytes),
        file_name=presentation.download_name(title, name, source),
        key=key,
        on_click="ignore",
    )


def caption(
    kind: str, period: str | None, page: int | None, heading: str = "", date: str = ""
) -> str:
    """'minutes · 2018-19 · dated 2019-03-14 · p. 5 · heading', escaped; parts not set are
    left out.  The date is the document's: the day it was published or its meeting held."""
    parts = [kind, period, f"dated {date}" if date else "", presentation.page_label(page), heading]
    return presentation.escape_markdown(" · ".join(part for part in parts if part))


def show_source(hit) -> None:
    """The PDF page with the hit's words marked, or the passage's full text."""
    show_passage(hit.source, hit.page, presentation.marked_terms(hit.snippet), hit.section_id)


def entities_page() -> None:
    """Every canonical initiative and partner; one chosen (?entity=NAME) in detail."""
    import pandas as pd

    st.title("Initiatives and partners")
    index_dir = default_index_dir()
    try:
        summaries = entity_summaries(index_dir)
    except CspError as error:
        warn_no_index(error)
        return
    kinds = {"Initiatives": "initiative", "Partners": "partner", "Themes": "theme"}
    chosen_kind = st.radio(
        "Show",
        list(kinds),
        index=2 if st.query_params.get("theme") else 0,
        horizontal=True,
        key="entity_type",
    )
    if kinds[chosen_kind] == "theme":
        theme_view(index_dir)
        return
    listed = [row for row in summaries if row["type"] == kinds[chosen_kind]]
    names = [row["name"] for row in listed]
    wanted = st.query_params.get("entity")
    if wanted and wanted not in names:
        names = [wanted, *names]
    name = st.selectbox(
        f"{chosen_kind[:-1]} ({len(listed)} found)",
        names,
        index=names.index(wanted) if wanted in names else None,
        placeholder="Choose or type a name",
        key="entity",
    )
    if name is None:
        st.dataframe(
            pd.DataFrame(map(presentation.entity_row, listed)),
            hide_index=True,
            use_container_width=True,
        )
        return
    st.query_params["entity"] = name
    show_entity(index_dir, name)


def show_entity(index_dir: Path, name: str) -> None:
    detail = entity_detail(index_dir, name)
    if detail is None:
        st.info("No passage names it.")
        show_link("What is indexed →", coverage_url())
        return
    st.header(presentation.escape_markdown(detail["name"]))
    kind = f", {detail['kind']}" if detail["kind"] else ""
    themes = f" · themes: {', '.join(detail['themes'])}" if detail["themes"] else ""
    st.caption(presentation.escape_markdown(f"{detail['type']}{kind}{themes}"))
    if detail["aliases"]:
        st.caption(presentation.escape_markdown("Also written: " + "; ".join(detail["aliases"])))
    st.subheader("Where and when (passages naming it, by CSP area and financial year)")
    filter_name = "initiative" if detail["type"] == "initiative" else "partner"
    search_url = f"/search?{filter_name}={quote(detail['name'])}"
    show_area_year_matrix(index_dir, detail, search_url)
    show_link("Search every passage naming it →", search_url)
    for appearance in detail["appearances"]:
        st.subheader(presentation.escape_markdown(f"{appearance['area']} {appearance['period']}"))
        for number, passage in enumerate(appearance["mentions"]):
            show_entity_passage(appearance, passage, number)


def show_entity_passage(appearance: dict, passage: dict, number: int) -> None:
    """One passage naming an entity, its snippets, and its page (or text) on demand."""
    row = presentation.mention_row(appearance, passage)
    with st.container(border=True):
        st.markdown(f"**{presentation.escape_markdown(row['document'])}**")
        st.caption(caption(row["type"], None, passage["page"], row["heading"]))
        for snippet in passage["snippets"]:
            st.text(snippet)
        st.caption(presentation.escape_markdown(row["file"]))
        page = passage["page"]
        label = f"Open page {page}" if page else "Show the whole passage"
        # A passage spanning years is listed under each of them, and one section can be
        # listed twice under one year: its area, year and place in the list keep keys apart.
        key = f"passage-{appearance['area']}-{appearance['period']}-{number}"
        if st.toggle(label, key=key):
            show_passage(passage["file"], page, passage["spellings"], passage["section_id"])


def show_area_year_matrix(index_dir: Path, counted: dict, search_url: str) -> None:
    """Passages by CSP area and financial year (`counted`'s matrix and totals), "–"
    where the index holds no document of that area and year, each count a link to
    `search_url` filtered on its area and year."""
    held = coverage(index_dir)

    def cell_link(area: str, period: str) -> str | None:
        if area not in held.districts or period == presentation.NO_PERIOD:
            return None
        year = period[:4]
        return f"{search_url}&district={quote(area)}&from={year}&to={year}"

    columns, cells = with_gaps(counted["matrix"], held)
    st.markdown(
        presentation.matrix_html(cells, columns, counted["totals"], cell_link),
        unsafe_allow_html=True,
    )
    st.caption(
        f"{presentation.NOT_HELD}: {presentation.NOT_HELD_NOTE}; 0: documents are indexed "
        "but no passage of them counts here. A passage about several areas or years counts "
        "in each; the totals count it once. A count opens the search for it."
    )


def theme_view(index_dir: Path) -> None:
    """One theme: its passages by CSP area and year, and the priorities stated on it."""
    import pandas as pd

    names = theme_names()
    wanted = st.query_params.get("theme")
    theme = st.selectbox(
        "Theme", names, index=names.index(wanted) if wanted in names else None, key="theme"
    )
    if theme is None:
        return
    st.query_params["theme"] = theme
    st.header(presentation.escape_markdown(theme))
    counted = theme_matrix(index_dir, theme)
    if not counted["totals"]["all"]:
        st.info("No passage is on this theme.")
        show_link("What is indexed →", coverage_url())
        return
    st.subheader("Passages on this theme by CSP area and financial year")
    search_url = f"/search?theme={quote(theme)}"
    show_area_year_matrix(index_dir, counted, search_url)
    show_link("Search these passages →", search_url)
    stated = [row for row in priority_rows(index_dir) if theme in row["themes"]]
    st.subheader(f"Priorities stated on it ({len(stated)})")
    st.dataframe(
        pd.DataFrame(map(presentation.priority_row, stated)),
        hide_index=True,
        use_container_width=True,
    )


def coverage_page() -> None:
    """What the index holds: documents by CSP area, financial year and type
    (?district=Maldon&type=action+plan), so that "no results" can be told from "not
    collected"."""
    import pandas as pd

    st.title("Coverage")
    st.caption(
        "The documents the index holds, by CSP area, financial year and document type. "
        "A PDF and its text twin are one document; a document counts for every area and "
        "year its passages are about, as the search's filters find it."
    )
    try:
        held = coverage(default_index_dir())
    except CspError as error:
        warn_no_index(error)
        return
    st.markdown(presentation.escape_markdown(presentation.coverage_label(held.summary())))
    params = st.query_params
    areas = held.areas()
    kinds = held.doc_types()
    chosen_areas = st.multiselect(
        "CSP area",
        areas,
        default=[area for area in params.get_all("district") if area in areas],
        key="coverage_areas",
    )
    chosen_kinds = st.multiselect(
        "Document type",
        list(kinds),
        default=[kind for kind in params.get_all("type") if kind in kinds],
        format_func=lambda kind: f"{kind} ({kinds[kind]})",
        key="coverage_types",
    )
    st.query_params.from_dict({"district": chosen_areas, "type": chosen_kinds})
    matrix = {
        area: periods
        for area, periods in held.matrix(chosen_kinds).items()
        if not chosen_areas or area in chosen_areas
    }
    if not matrix:
        st.info("No documents of these types are indexed for these CSP areas.")
        return
    st.subheader("Documents by CSP area and financial year")
    columns, cells = with_gaps(matrix, held)
    totals = held.totals(chosen_areas, chosen_kinds)
    st.markdown(presentation.matrix_html(cells, columns, totals), unsafe_allow_html=True)
    st.caption(
        f"{presentation.NOT_HELD}: {presentation.NOT_HELD_NOTE}; 0: documents of other "
        "types only. A document about several areas or years counts in each; the totals "
        "count it once."
    )
    rows = [
        row
        for row in held.rows()
        if (not chosen_areas or row["area"] in chosen_areas)
        and (not chosen_kinds or row["doc_type"] in chosen_kinds)
    ]
    st.subheader("By document type")
    columns_shown = ["area", "period", "doc_type", "documents"]
    st.dataframe(
        pd.DataFrame(rows, columns=columns_shown), hide_index=True, use_container_width=True
    )
    st.download_button(
        "Download coverage (CSV)",
        presentation.rows_csv(
            ({key: row[key] for key in columns_shown} for row in rows), columns_shown
        ),
        file_name="csp-coverage.csv",
        mime="text/csv",
    )


def compare_page() -> None:
    """CSPs and years side by side: priorities by theme, initiatives, figures."""
    import pandas as pd

    st.title("Compare CSPs and years")
    index_dir = default_index_dir()
    try:
        overview = run_facets(index_dir)
    except CspError as error:
        warn_no_index(error)
        return
    areas = sorted(overview.districts)
    years = sorted(overview.years)
    params = st.query_params
    chosen_areas = st.multiselect(
        "CSP areas",
        areas,
        default=[a for a in params.get_all("district") if a in areas],
        key="compare_areas",
    )
    chosen_years = st.multiselect(
        "Financial years",
        years,
        default=[y for y in years if str(y) in params.get_all("year")],
        format_func=fy_label,
        key="compare_years",
    )
    st.query_params.from_dict(
        {"district": chosen_areas, "year": [str(year) for year in chosen_years]}
    )
    if not chosen_areas or not chosen_years:
        st.info("Choose one or more CSP areas and financial years.")
        return
    columns: list[Column] = [(a, y) for a in chosen_areas for y in sorted(chosen_years)]
    held = coverage(index_dir)
    # A column without documents is not collected, not "no priorities".
    uncollected = [(a, y) for a, y in columns if not held.select([a], y, y)]
    for area, year in uncollected:
        st.warning(presentation.escape_markdown(gap_message(held, [area], year, year)))
    if uncollected:
        show_link("What is indexed →", coverage_url([area for area, _ in uncollected]))
    comparison = compare(index_dir, columns)
    labels = [column_label(column) for column in columns]
    st.subheader("Priorities by theme")
    matrix = comparison.theme_matrix()
    if matrix:
        st.table(
            pd.DataFrame(
                [
                    {label: "; ".join(cells.get(label, [])) for label in labels}
                    for cells in matrix.values()
                ],
                index=list(matrix),
            )
        )
    else:
        st.info("None of these plans or reports states priorities.")
    st.subheader("Initiatives")
    shared = sorted(comparison.shared_initiatives())
    st.markdown(
        "**Named by all:** " + presentation.escape_markdown(", ".join(shared) if shared else "none")
    )
    unique = comparison.unique_initiatives()
    st.dataframe(
        pd.DataFrame(
            [
                {"CSP and year": label, "only here": ", ".join(sorted(unique[label]))}
                for label in labels
            ]
        ),
        hide_index=True,
        use_container_width=True,
    )
    st.subheader("Figures")
    st.dataframe(pd.DataFrame(figure_table(comparison)), hide_index=True, use_container_width=True)
    if len(chosen_areas) == 1 and len(chosen_years) > 1:
        st.subheader("Year on year")
        for change in year_on_year(index_dir, chosen_areas[0], chosen_years):
            st.markdown(presentation.escape_markdown(f"{change['from']} → {change['to']}"))
            st.dataframe(
                pd.DataFrame(
                    [
                        {"what": key.replace("_", " "), "items": "; ".join(change[key])}
                        for key in (
                            "priorities_added",
                            "priorities_dropped",
                            "initiatives_added",
                            "initiatives_dropped",
                        )
                    ]
                ),
                hide_index=True,
                use_container_width=True,
            )


def batch_page() -> None:
    """Many initiatives or terms at once (?term=J9&term=Street+Pastors): for each, a CSP
    area x financial year grid of the documents naming it, and all of them as CSV."""
    st.title("Batch lookup")
    terms = st.text_area(
        "Initiatives or terms, one per line",
        value="\n".join(st.query_params.get_all("term")),
        placeholder="J9\nSpot It Stop It\nStreet Pastors",
        key="batch_terms",
    )
    lines = list(dict.fromkeys(line.strip() for line in terms.splitlines() if line.strip()))
    st.query_params.from_dict({"term": lines})
    if not lines:
        st.info("Paste a list, one initiative or term per line.")
        return
    try:
        rows = batch_lookup(default_index_dir(), lines)
    except CspError as error:
        warn_no_index(error)
        return
    st.download_button(
        "Download (CSV)",
        presentation.rows_csv(rows, list(rows[0])),
        file_name="csp-batch-lookup.csv",
        mime="text/csv",
    )
    for term in lines:
        st.subheader(presentation.escape_markdown(term))
        refused = next((row["error"] for row in rows if row["term"] == term and row["error"]), "")
        grid = batch_grid(rows, term)
        if refused:
            st.error(presentation.escape_markdown(refused))
        elif not grid:
            st.info("No document names it.")
        else:
            st.caption("Documents naming it, by CSP area and financial year")
            st.dataframe(presentation.matrix_frame(grid))


def commitments_page() -> None:
    """A CSP's commitments for a plan year (?district=Braintree&year=2018), each with what
    later documents say became of it and the evidence."""
    import pandas as pd

    st.title("Commitments")
    st.caption(
        "What a CSP's plans, reports and minutes committed to, and what its later "
        "documents say became of it."
    )
    from ingest.answers.tracing import list_commitments, trace_commitments

    index_dir = default_index_dir()
    try:
        made = list_commitments(index_dir)
    except CspError as error:
        warn_no_index(error)
        return
    years_of: dict[str, set[int]] = {}
    for commitment in made:
        if commitment.year is None:  # not listed by plan year: nothing dates it
            continue
        for area in commitment.areas:
            years_of.setdefault(area, set()).add(commitment.year)
    if not years_of:
        st.info("No commitments found in the index.")
        return
    params = st.query_params
    areas = sorted(years_of)
    area = st.selectbox(
        "CSP area",
        areas,
        index=areas.index(params["district"]) if params.get("district") in areas else 0,
        key="commitments_area",
    )
    years = sorted(years_of[area])
    year = st.selectbox(
        "Plan year",
        years,
        index=years.index(clamp(params.get("year"), years, years[-1])),
        format_func=fy_label,
        key="commitments_year",
    )
    traces = trace_commitments(index_dir, area, str(year), str(year))
    statuses = [status for status, _ in presentation.status_tally(traces)]
    priorities = sorted({trace.priority for trace in traces if trace.priority})
    with st.sidebar:
        st.header("Filters")
        chosen_statuses = st.multiselect(
            "Status",
            statuses,
            default=[status for status in params.get_all("status") if status in statuses],
            key="commitments_status",
        )
        chosen_priorities = st.multiselect(
            "Priority served",
            priorities,
            default=[priority for priority in params.get_all("priority") if priority in priorities],
            key="commitments_priority",
        )
    # Every filter in the URL, so a reload or a shared link keeps the view.
    chosen = {"status": chosen_statuses, "priority": chosen_priorities}
    st.query_params.from_dict(
        {
            "district": area,
            "year": str(year),
            **{key: values for key, values in chosen.items() if values},
        }
    )
    shown = [
        trace
        for trace in traces
        if (not chosen_statuses or trace.status in chosen_statuses)
        and (not chosen_priorities or trace.priority in chosen_priorities)
    ]
    st.subheader(f"{presentation.plural(len(shown), 'commitment')} for {area} {fy_label(year)}")
    st.markdown(presentation.escape_markdown(f"By status: {presentation.tally_label(traces)}"))
    st.dataframe(
        pd.DataFrame(map(presentation.commitment_row, shown), columns=COMMITMENT_COLUMNS),
        hide_index=True,
        column_config={
            "status": st.column_config.TextColumn(pinned=True),
            "source link": st.column_config.LinkColumn("source link"),
        },
    )
    st.download_button(
        "Download commitments (CSV)",
        presentation.commitments_csv(shown),
        file_name=f"csp-commitments-{area}-{fy_label(year)}.csv".replace(" ", "-"),
        mime="text/csv",
    )
    for number, trace in enumerate(shown):
        show_commitment(trace, number)


def show_commitment(trace, number: int) -> None:
    """One commitment: where it was made, its status, and each piece of evidence."""
    with st.expander(f"{trace.status} — {trace.text[:120]}"):
        row = presentation.commitment_row(trace)
        found_in = presentation.citation(
            row["document"], trace.doc_type, presentation.page_label(trace.page)
        )
        st.markdown(f"**{presentation.escape_markdown(trace.text)}**")
        st.caption(presentation.escape_markdown(f"{found_in} · {row['file']}"))
        if row["source link"]:
            st.caption(
                "Source: " + presentation.link_markdown(row["source link"], row["source link"])
            )
        link = f"./?q={quote(chr(34) + ' '.join(trace.text.split()[:8]) + chr(34))}"
        st.markdown(f"[Find the source passage in search]({link})")
        if st.toggle("Show the source", key=f"commitment-source-{number}"):
            first_words = [" ".join(trace.text.split()[:MARKED_WORDS])]
            show_passage(trace.source, trace.page, first_words, trace.section_id)
        if not trace.evidence and trace.searched:
            titles = "; ".join(document["title"] for document in trace.searched)
            st.caption(
                presentation.escape_markdown(f"{presentation.searched_label(trace)} ({titles})")
            )
        for evidence_number, evidence in enumerate(trace.evidence):
            shown_evidence = presentation.evidence_row(evidence)
            found_in = presentation.citation(
                shown_evidence["document"],
                shown_evidence["period"],
                presentation.page_label(evidence.page),
            )
            st.markdown(
                f"{presentation.escape_markdown(evidence.status)}: "
                f"“{presentation.escape_markdown(evidence.quote)}”"
            )
            st.caption(
                presentation.escape_markdown(f"{found_in} · confidence {evidence.confidence}")
            )
            if st.toggle("Show the evidence", key=f"evidence-{number}-{evidence_number}"):
                first_words = [" ".join(evidence.quote.split()[:MARKED_WORDS])]
                show_passage(evidence.source, evidence.page, first_words, evidence.section_id)


def show_passage(source: str, page: int | None, terms: list[str], section_id: str) -> None:
    """The PDF page with `terms` marked, or the passage's full text."""
    if page and source.lower().endswith(".pdf") and Path(source).exists():
        # Imported here: the PDF library loads only when a page is opened.
        from ingest.answers.pages import page_image

        st.image(page_image(Path(source), page, terms))
        return
    passage = section_text(default_index_dir(), section_id)
    st.text(passage if passage is not None else "This passage is no longer in the index.")


def documents_page() -> None:
    import pandas as pd

    st.title("Documents")
    index_dir = default_index_dir()
    try:
        rows = document_rows(index_dir)
        failures = failed_files(index_dir)
    except CspError as error:
        warn_no_index(error)
        return
    st.caption(
        f"{len(rows)} documents from {len({row['source'] for row in rows})} files; "
        f"{len(failures)} files failed"
    )
    table = pd.DataFrame(map(presentation.document_row, rows))
    st.dataframe(
        table,
        hide_index=True,
        use_container_width=True,
        column_config={"source link": st.column_config.LinkColumn("source link")},
    )
    download_section(rows)
    if failures:
        st.subheader("Files that failed")
        st.dataframe(pd.DataFrame(failures), hide_index=True, use_container_width=True)
    upload_section(index_dir)


def download_section(rows: list[dict]) -> None:
    """Choose a document, download its original file."""
    stored = [row for row in rows if Path(row["source"]).is_file()]
    if not stored:
        return
    labels = {f"{row['title']} ({presentation.document_row(row)['file']})": row for row in stored}
    chosen = st.selectbox(
        "Download a document's original file",
        list(labels),
        index=None,
        placeholder="Choose a document",
        key="download_document",
    )
    if chosen is not None:
        row = labels[chosen]
        download_original(row["title"], row["file_name"], row["source"], "download_document_file")


def upload_section(index_dir: Path) -> None:
    """Upload files: checked and ingested by the same code as `csp ingest`."""
    from ingest.pipeline.uploads import MAX_UPLOAD_MB, Upload, ingest_uploads

    st.subheader("Add documents")
    show_upload_outcomes()
    files = st.file_uploader(
        f"PDF, HTML or text files, up to {MAX_UPLOAD_MB} MB each",
        accept_multiple_files=True,
        key="uploads",
    )
    if not files or not st.button("Ingest these files", key="ingest_uploads"):
        return
    progress = st.progress(0.0, text="Ingesting…")
    done: list = []

    def on_result(result) -> None:
        done.append(result)
        progress.progress(min(len(done) / len(files), 1.0), text=f"{len(done)} of {len(files)}")

    results = ingest_uploads(
        [Upload(file.name, file.getvalue()) for file in files], index_dir, on_result=on_result
    )
    progress.empty()
    # Kept for the rerun, which shows the Documents page's counts with these files in.
    st.session_state["upload_outcomes"] = [
        presentation.upload_outcome(result) for result in results
    ]
    st.rerun()


def show_upload_outcomes() -> None:
    """Each file of the last upload: red if it failed, amber if it was stored with a
    caveat (repaired, pages missing, also in another document), green if clean."""
    shown = {"error": st.error, "warning": st.warning, "info": st.info, "success": st.success}
    for level, line in st.session_state.get("upload_outcomes", []):
        shown[level](presentation.escape_markdown(line))


if __name__ == "__main__":  # `streamlit run` runs the script as __main__; tests import pages
    main()
