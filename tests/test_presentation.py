"""One presentation: the rows and labels the CLI, the app and CSV files share, on the
real sample index, and one wording for a missing area wherever it is shown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_runs import json_lines, run
from streamlit.testing.v1 import AppTest

from ingest.answers import presentation
from ingest.answers.presentation import (
    COMMITMENT_COLUMNS,
    HIT_COLUMNS,
    NO_AREA,
    NO_PERIOD,
    NO_THEME,
)
from ingest.answers.queries import (
    document_rows,
    entity_summaries,
    figure_rows,
    priority_rows,
    run_history,
    run_search,
)
from ingest.answers.tracing import trace_commitments
from ingest.pipeline.ingest import ingest_paths

APP = str(Path(__file__).resolve().parents[1] / "search_app.py")
COUNTY_WIDE_QUERY = '"Essex Community Safety Network"'
ESSEX = "Essex (county-wide)"


def app_search(index: Path, monkeypatch: pytest.MonkeyPatch, query: str) -> AppTest:
    monkeypatch.setenv("CSP_INDEX", str(index))
    test = AppTest.from_file(APP, default_timeout=60)
    test.query_params["q"] = query
    return test.run()


@pytest.fixture(scope="module")
def unattributed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of one newsletter that names no area, county or year."""
    folder = tmp_path_factory.mktemp("unattributed")
    (folder / "docs").mkdir()
    (folder / "docs" / "newsletter.txt").write_text(
        "# Community Safety Newsletter\n\nThe Purple Flag scheme was renewed for the town "
        "centre, with partners from the night time economy and the Street Pastors.\n",
        encoding="utf-8",
    )
    index = folder / "index"
    assert not ingest_paths([folder / "docs"], index).failed
    return index


def test_a_county_wide_passage_reads_the_same_in_cli_text_json_and_app(
    corpus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ["--index", str(corpus_index)]
    hits = json.loads(run("search", COUNTY_WIDE_QUERY, "--json", *index)[1])["hits"]
    county_wide = [hit for hit in hits if not hit["districts"]]
    assert county_wide and all(hit["county"] == "Essex" for hit in county_wide)
    assert {presentation.area_label(h["districts"], h["county"]) for h in county_wide} == {ESSEX}

    text = run("search", COUNTY_WIDE_QUERY, *index)[1]
    assert f"1. {ESSEX} 2012-13 — Safer Essex Prospectus (prospectus, p. 1)" in text.splitlines()

    entities = json_lines(run("entities", "--json", *index)[1])
    assert any(ESSEX in entity["areas"] for entity in entities)
    assert ESSEX in run("entities", *index)[1]

    test = app_search(corpus_index, monkeypatch, COUNTY_WIDE_QUERY)
    assert not test.exception
    # Headers are markdown: the label is written with its markup characters escaped.
    assert presentation.escape_markdown(ESSEX) in [header.value for header in test.header]
    downloaded = presentation.hits_csv(run_search(corpus_index, COUNTY_WIDE_QUERY))
    assert ESSEX in {row["CSP area"] for row in csv.DictReader(io.StringIO(downloaded))}


def test_an_unattributed_document_reads_the_same_everywhere(
    unattributed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ["--index", str(unattributed_index)]
    text = run("search", "Purple Flag", *index)[1]
    assert text.splitlines()[1].startswith(
        f"1. {NO_AREA} {NO_PERIOD} — Community Safety Newsletter (other)"
    )
    (hit,) = json.loads(run("search", "Purple Flag", "--json", *index)[1])["hits"]
    assert (hit["districts"], hit["county"], hit["period"]) == ([], None, None)

    docs = run("docs", *index)[1]
    assert NO_AREA in docs and NO_PERIOD in docs
    (document,) = json_lines(run("docs", "--json", *index)[1])
    assert (document["districts"], document["county"]) == ([], None)
    (document,) = document_rows(unattributed_index)
    assert presentation.document_row(document)["CSP area"] == NO_AREA

    entities = {row["name"]: row for row in json_lines(run("entities", "--json", *index)[1])}
    assert entities["Purple Flag"]["areas"] == {NO_AREA: [NO_PERIOD]}
    detail = json.loads(run("entity", "Purple Flag", "--json", *index)[1])
    assert detail["matrix"] == {NO_AREA: {NO_PERIOD: 1}}
    assert f"{NO_AREA} {NO_PERIOD}" in run("entity", "Purple Flag", *index)[1]

    test = app_search(unattributed_index, monkeypatch, "Purple Flag")
    assert not test.exception
    assert presentation.escape_markdown(NO_AREA) in [header.value for header in test.header]
    assert presentation.escape_markdown(NO_PERIOD) in [sub.value for sub in test.subheader]


def test_the_documents_page_and_csp_docs_share_one_row(
    unattributed_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSP_INDEX", str(unattributed_index))
    root = str(Path(APP).parent)
    test = AppTest.from_function(documents_page, args=(root,), default_timeout=60).run()
    assert not test.exception
    table = test.dataframe[0].value
    (row,) = map(presentation.document_row, document_rows(unattributed_index))
    assert list(table.columns) == list(row)
    assert table.iloc[0]["CSP area"] == NO_AREA and table.iloc[0]["period"] == NO_PERIOD
    assert table.iloc[0]["file"] == "newsletter.txt"


def documents_page(root: str) -> None:
    """The app's Documents page alone (AppTest runs this function's source by itself)."""
    import sys

    sys.path.insert(0, root)
    import search_app

    search_app.documents_page()


def test_hit_rows_carry_labels_not_data(corpus_index: Path) -> None:
    hits = run_search(corpus_index, "J9", limit=50)
    rows = [presentation.hit_row(hit) for hit in hits]
    assert all(tuple(row) == HIT_COLUMNS for row in rows)
    braintree = next(row for row in rows if row["CSP area"] == "Braintree")
    assert braintree["period"] == "2022-23"
    assert braintree["page"] == 5
    # The samples' stored names are hashes, which say nothing: their kinds show instead.
    assert braintree["file"] == "PDF file (also as text file)"
    assert braintree["source link"] == "https://www.braintree.gov.uk"
    assert braintree["heading"].endswith(" > 'J9' Domestic Abuse training")
    assert "«J9»" in braintree["snippet"]
    downloaded = list(csv.DictReader(io.StringIO(presentation.hits_csv(hits))))
    assert tuple(downloaded[0]) == HIT_COLUMNS
    assert all("«" not in row["snippet"] for row in downloaded)
    assert presentation.page_label(5) == "p. 5" and presentation.page_label(None) == ""


def test_hits_show_their_documents_date_beside_the_period(corpus_index: Path) -> None:
    # The Colchester pack's minutes are dated by their title; the period is the meeting's.
    hits = run_search(corpus_index, "minutes", limit=50)
    rows = {
        (row["document"], row["period"], row["date"]) for row in map(presentation.hit_row, hits)
    }
    minutes = "Crime and Disorder Committee minutes, 10 September 2019"
    assert (minutes, "2019-20", "2019-09-10") in rows
    downloaded = list(csv.DictReader(io.StringIO(presentation.hits_csv(hits))))
    assert {row["date"] for row in downloaded if row["document"] == minutes} == {"2019-09-10"}


def test_document_rows_label_pages_files_and_duplicates(corpus_index: Path) -> None:
    rows = [presentation.document_row(row) for row in document_rows(corpus_index)]
    prospectus = [row for row in rows if row["type"] == "prospectus"]
    assert {row["file"] for row in prospectus} == {"PDF file", "text file"}
    assert {row["publisher"] for row in prospectus} == {"Safer Essex"}
    pdf = next(row for row in prospectus if row["file"] == "PDF file")
    assert pdf["pages"].startswith("1-") and pdf["period"] == "2012-13"
    assert any(row["duplicate of"] for row in rows)
    assert all(row["CSP area"] and row["period"] for row in rows)


def test_priority_figure_and_entity_rows(corpus_index: Path) -> None:
    priorities = [presentation.priority_row(row) for row in priority_rows(corpus_index)]
    themes = {row["priority"]: row["themes"] for row in priorities}
    assert themes["Reduce re-offending"] == "reoffending"
    assert NO_THEME in themes.values()
    figures = [
        presentation.figure_row(row) for row in figure_rows(corpus_index, "Braintree", "2022")
    ]
    funding = next(row for row in figures if row["figure"] == "£17,739")
    assert (funding["CSP area"], funding["period"], funding["unit"]) == (
        "Braintree",
        "2022-23",
        "GBP",
    )
    assert funding["what"] == "funding allocation"
    entities = {row["name"]: presentation.entity_row(row) for row in entity_summaries(corpus_index)}
    spot_it = entities["Spot It Stop It"]["CSP areas"]
    assert "Braintree " in spot_it and "Colchester 2019-20" in spot_it


def test_commitment_rows_and_their_csv(corpus_index: Path) -> None:
    traces = trace_commitments(corpus_index, "Braintree", "2018", "2018")
    rows = [presentation.commitment_row(trace) for trace in traces]
    assert all(tuple(row) == COMMITMENT_COLUMNS for row in rows)
    spot_it = next(row for row in rows if row["commitment"].startswith("Expand the Spot It"))
    assert (spot_it["CSP area"], spot_it["period"], spot_it["status"]) == (
        "Braintree",
        "2018-19",
        "in progress",
    )
    assert "Annual Report 2022-23" in spot_it["latest evidence"]
    assert spot_it["evidence period"] == "2022-23" and spot_it["evidence page"]
    unreported = next(trace for trace in traces if not trace.evidence and trace.searched)
    assert presentation.searched_label(unreported).startswith("searched 1 later document: ")
    downloaded = list(csv.DictReader(io.StringIO(presentation.commitments_csv(traces))))
    assert len(downloaded) == len(traces) and tuple(downloaded[0]) == COMMITMENT_COLUMNS


def test_run_rows(corpus_index: Path) -> None:
    history = run_history(corpus_index)
    files = [presentation.run_file_row(row) for row in history["files"]]
    assert {row["status"] for row in files} == {"ingested"}
    assert {row["parser"] for row in files} == {"pdf", "text"}
    assert all(row["pages"] == "-" for row in files if row["parser"] == "text")
    (latest,) = [presentation.run_row(row) for row in history["runs"]]
    assert latest["counts"] == "10 ingested" and latest["state"].endswith("s")


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_stay_text(tmp_path: Path) -> None:
    text = tmp_path / "formulas.txt"
    text.write_text(
        '=HYPERLINK("http://example.invalid","Street Pastors annual report")\n\n'
        "Street Pastors patrolled Braintree town centre every Friday night in 2022-23.\n",
        encoding="utf-8",
    )
    index = tmp_path / "index"
    ingest_paths([text], index)
    hits = run_search(index, "Street Pastors")
    assert hits[0].title.startswith("=HYPERLINK")  # what a spreadsheet would run
    cells = [cell for row in csv.reader(io.StringIO(presentation.hits_csv(hits))) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    # Numbers are left as they are; text that starts like one is not.
    assert presentation.spreadsheet_safe(-3) == -3
    assert presentation.spreadsheet_safe("-3 fewer") == "'-3 fewer"
