"""What the index holds (`ingest.answers.coverage`, `csp coverage`), on the sample
corpus: read from the catalog, and in agreement with what a filtered search finds."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runs import run

from ingest.answers.coverage import coverage, gap_message, with_gaps
from ingest.answers.presentation import (
    COUNTY_WIDE,
    NOT_HELD,
    NOT_HELD_NOTE,
    coverage_label,
    matrix_html,
)
from ingest.answers.queries import (
    build_filters,
    document_rows,
    entity_detail,
    entity_summaries,
    search_documents,
    theme_matrix,
)

from samples import TEXT_DIR


def test_coverage_counts_a_pdf_and_its_text_twin_as_one_document(corpus_index: Path) -> None:
    held = coverage(corpus_index)
    rows = document_rows(corpus_index)
    assert held.documents() == sum(row["duplicate_of"] is None for row in rows)
    assert held.documents() < len(rows)  # every sample PDF has its text twin
    summary = held.summary()
    assert summary["areas"] == 14  # the Safer Essex prospectus names every Essex CSP
    assert (summary["year_from"], summary["year_to"]) == (2009, 2022)
    assert sum(summary["doc_types"].values()) == held.documents()
    assert coverage_label(summary).startswith("19 documents from 14 CSP areas, 2009-10 to 2022-23")


def test_every_area_and_year_counts_what_a_search_filtered_on_it_finds(
    corpus_index: Path,
) -> None:
    held = coverage(corpus_index)
    checked = 0
    for area in sorted(held.districts):
        for year in range(2009, 2024):
            expected = held.documents(held.select([area], year, year))
            filters = build_filters([area], str(year))
            found = search_documents(corpus_index, "", filters).total_documents
            assert found == expected, (area, year)
            checked += expected > 0
    assert checked > 30


def test_the_matrix_puts_a_document_in_every_year_and_area_its_passages_are_about(
    corpus_index: Path,
) -> None:
    matrix = coverage(corpus_index).matrix()
    assert matrix["Braintree"]["2017-18"] == 5  # the 2018 agenda pack's five parts
    assert "2016-17" not in matrix["Braintree"]
    assert matrix["Maldon"] == {"2010-11": 1, "2011-12": 1, "2012-13": 1}
    assert COUNTY_WIDE.format(county="Essex") == list(matrix)[-1]
    action_plans = coverage(corpus_index).matrix(["action plan"])
    assert action_plans == {"Braintree": {"2017-18": 1, "2018-19": 1}}


def test_no_results_say_whether_the_filters_chose_anything_indexed(corpus_index: Path) -> None:
    held = coverage(corpus_index)
    assert gap_message(held, ["Maldon"], 2016, 2016) == (
        "No documents for Maldon 2016-17 are indexed."
    )
    assert gap_message(held, ["Maldon"], 2012, 2012) == (
        "1 document for Maldon 2012-13 is indexed, but none matches."
    )
    assert gap_message(held, ["Maldon"], 2012, 2012, ["action plan"]) == (
        "No documents of type action plan for Maldon 2012-13 are indexed."
    )
    both = gap_message(held, ["Braintree", "Maldon"], 2017, 2018)
    assert both.startswith("6 documents for Braintree or Maldon 2017-18 to 2018-19 are indexed")
    assert both.endswith("No documents for Maldon 2017-18 to 2018-19 are indexed.")


def test_csp_coverage_lists_an_area_by_year_and_type(corpus_index: Path) -> None:
    code, output = run("coverage", "--area", "Braintree", "--index", str(corpus_index))
    assert code == 0, output
    lines = output.splitlines()
    assert lines[0].startswith("8 documents from 1 CSP area, 2011-12 to 2022-23")
    assert lines[2] == "Braintree"
    assert any(line.split()[:2] == ["2022-23", "1"] for line in lines)
    code, output = run("coverage", "--district", "Essex", "--json", "--index", str(corpus_index))
    assert code == 0, output
    held = json.loads(output)
    areas = {row["area"] for row in held["coverage"]}
    assert {"Maldon", "Braintree", COUNTY_WIDE.format(county="Essex")} <= areas
    maldon = [row for row in held["coverage"] if row["area"] == "Maldon"]
    assert [row["period"] for row in maldon] == ["2010-11", "2011-12", "2012-13"]
    assert all(row["doc_type"] == "prospectus" and row["documents"] == 1 for row in maldon)


def test_an_entity_counts_each_passage_once_and_opens_it_on_its_pdf_page(
    corpus_index: Path,
) -> None:
    detail = entity_detail(corpus_index, "Spot It Stop It")
    assert detail is not None
    # The 2022-23 annual report's passage names it twice: one passage, both snippets kept.
    assert detail["matrix"]["Braintree"]["2022-23"] == 1
    (passage,) = next(a["mentions"] for a in detail["appearances"] if a["period"] == "2022-23")
    assert len(passage["snippets"]) == 2
    assert detail["passages"] == 5 < detail["mentions"]
    assert detail["totals"] == {
        "areas": {"Braintree": 4, "Colchester": 1},
        "periods": {"2017-18": 2, "2018-19": 1, "2019-20": 1, "2022-23": 1},
        "all": 5,
    }
    # Every passage is shown from its PDF copy, with the page it is on.
    for appearance in detail["appearances"]:
        for shown in appearance["mentions"]:
            assert shown["file"].endswith(".pdf") and shown["page"] > 1
            assert shown["also_in"] == [shown["file"].replace("/pdf/", "/text/")[:-4] + ".txt"]
    filters = build_filters(["Braintree"], "2022", initiatives=["Spot It Stop It"])
    assert search_documents(corpus_index, "", filters).total_passages == 1


def test_an_entity_page_shows_each_passage_once_from_the_pdf_section_it_is_in(
    corpus_index: Path,
) -> None:
    # Several sections of Braintree's 2017-18 report sit under one heading: each text
    # section is shown from the PDF section most like it, and none twice in one year.
    detail = entity_detail(corpus_index, "Essex Police")
    assert detail is not None
    for appearance in detail["appearances"]:
        shown = [passage["section_id"] for passage in appearance["mentions"]]
        assert len(shown) == len(set(shown)), (appearance["area"], appearance["period"])


def test_an_entity_matrix_tells_a_year_without_documents_from_one_without_mentions(
    corpus_index: Path,
) -> None:
    detail = entity_detail(corpus_index, "Spot It Stop It")
    assert detail is not None
    columns, cells = with_gaps(detail["matrix"], coverage(corpus_index))
    assert columns == ["2017-18", "2018-19", "2019-20", "2020-21", "2021-22", "2022-23"]
    assert cells["Braintree"]["2019-20"] is None  # no Braintree document of 2019-20
    assert cells["Colchester"]["2017-18"] == 0  # Colchester documents, none naming it
    table = matrix_html(cells, columns, detail["totals"], lambda area, period: f"/s?{area}")
    assert f'<td title="{NOT_HELD_NOTE}">{NOT_HELD}</td>' in table
    assert '<td><a href="/s?Colchester" target="_self">0</a></td>' in table
    assert '<tr><th scope="row">total</th>' in table
    assert table.count("<strong>5</strong>") == 1  # the passages in all


def test_coverage_read_again_once_an_ingest_adds_documents(tmp_path: Path) -> None:
    from ingest.pipeline.ingest import ingest_paths

    index = tmp_path / "index"
    ingest_paths([TEXT_DIR / "002_8216942259ceca4c.txt"], index)
    assert coverage(index).matrix() == {"Brentwood": {"2017-18": 1}}
    assert coverage(index) is coverage(index)  # read once while the catalog is unchanged
    ingest_paths([TEXT_DIR / "001_830debaf43ef9f6c.txt"], index)
    assert coverage(index).matrix() == {
        "Braintree": {"2022-23": 1},
        "Brentwood": {"2017-18": 1},
    }


def test_the_entity_list_counts_the_passages_the_entity_page_counts(corpus_index: Path) -> None:
    summaries = {row["name"]: row for row in entity_summaries(corpus_index)}
    for name in ("Spot It Stop It", "J9", "Essex Police"):
        detail = entity_detail(corpus_index, name)
        assert detail is not None
        assert summaries[name]["passages"] == detail["passages"] == detail["totals"]["all"]
        assert summaries[name]["passages"] <= summaries[name]["mentions"]
    assert summaries["Spot It Stop It"]["passages"] == 5
    assert summaries["Spot It Stop It"]["areas"]["Braintree"] == ["2017-18", "2018-19", "2022-23"]


def test_a_theme_counts_every_passage_on_it_not_a_first_page(corpus_index: Path) -> None:
    counted = theme_matrix(corpus_index, "domestic abuse and VAWG")
    filters = build_filters(themes=["domestic abuse and VAWG"])
    listed = search_documents(corpus_index, "", filters, limit=0).total_passages
    assert counted["totals"]["all"] == listed > 20
    assert sum(counted["totals"]["areas"].values()) >= listed
    # A passage about a span of years counts in each year of it, as the year filter finds it.
    for area, row in counted["matrix"].items():
        for period, count in row.items():
            if area in {"Braintree", "Colchester"} and period != "period not identified":
                year = period[:4]
                narrowed = build_filters([area], year, themes=["domestic abuse and VAWG"])
                assert (
                    count == search_documents(corpus_index, "", narrowed, limit=0).total_passages
                ), (area, period)
