"""The Streamlit app driven in-process with streamlit.testing on a real index."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bench.render import render_pdf
from ingest.answers.presentation import escape_markdown
from ingest.answers.queries import search_documents
from ingest.nlp.taxonomy import theme_names
from ingest.pipeline.ingest import ingest_paths

from pausing import held_workers, pause_env, with_env
from samples import BRENTWOOD_PLAN, sample

APP = str(Path(__file__).resolve().parents[1] / "search_app.py")


def app(index: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    monkeypatch.setenv("CSP_INDEX", str(index))
    test = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        test.query_params[name] = value
    return test.run()


def headers(test: AppTest) -> list[str]:
    return [header.value for header in test.header]


def test_a_link_with_a_query_shows_hits_grouped_by_csp(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, q="J9")
    assert not test.exception
    assert {"Braintree", "Colchester", "Rochford"} <= set(headers(test))
    assert test.text_input(key="query").value == "J9"
    assert any("2011\\-12" in sub.value for sub in test.subheader)


def test_typing_a_query_and_filtering_updates_results_and_url(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch)
    test.text_input(key="query").input("Spot It Stop It").run()
    assert "Braintree" in headers(test) and "Colchester" in headers(test)
    test.multiselect(key="district").select("Colchester").run()
    assert [h for h in headers(test) if h != "Filters"] == ["Colchester"]
    assert test.query_params["q"] == "Spot It Stop It"
    assert test.query_params["district"] == "Colchester"


def test_results_show_totals_more_passages_and_a_show_more_button(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, q="domestic abuse", shown="3")
    assert not test.exception
    totals = search_documents(engine_corpus_index, "domestic abuse")
    assert any(
        sub.value == f"1–3 of {totals.total_documents} documents \\({totals.total_passages} "
        "passages\\)"
        for sub in test.subheader
    )
    passages = [e for e in test.get("expander") if e.label != "How to search"]
    assert len(passages) >= 1
    assert all("more passage" in expander.label for expander in passages)
    # Closed, they hold nothing yet: their passages are read once one is opened.
    assert not any(expander.markdown or expander.caption for expander in passages)
    more = test.button(key="show_more")
    assert more.label == f"Show more (3 of {totals.total_documents} shown)"
    more.click().run()
    assert test.query_params["shown"] == "23"
    assert not any(button.key == "show_more" for button in test.button)
    test.selectbox(key="sort").select("newest").run()
    assert test.query_params["sort"] == "newest"
    assert "shown" not in test.query_params, "a new order starts again at one page"


def test_a_misspelt_word_is_named_and_its_correction_can_be_clicked(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, q="knif crime")
    assert not test.exception
    assert test.warning[0].value == "No passage contains “knif”\\."
    suggestion = test.button(key="suggestion")
    assert suggestion.label == "Did you mean: knife crime"
    suggestion.click().run()
    assert test.text_input(key="query").value == "knife crime"
    assert test.query_params["q"] == "knife crime"
    assert any("documents" in sub.value for sub in test.subheader)


def test_markup_in_a_pdf_is_shown_literally(tmp_path: Path, monkeypatch) -> None:
    # Escaped in the source so the rendered PDF's text holds the characters themselves.
    text = (
        "# Safer Sutton Partnership Annual Report 2021/22\n\n"
        "The Purple Flag scheme &lt;script&gt;alert('x')&lt;/script&gt; and "
        "\\[click me\\](javascript:alert(1)) \\*\\*not bold\\*\\* continued.\n"
    )
    pdf = tmp_path / "hostile.pdf"
    render_pdf(text, pdf)
    index = tmp_path / "index"
    ingest_paths([pdf], index)
    test = app(index, monkeypatch, q="Purple Flag")
    shown = next(m.value for m in test.markdown if "scheme" in m.value and "Purple" in m.value)
    assert "\\<script\\>alert" in shown and "<script>" not in shown
    assert "\\[click me\\]\\(javascript\\:alert\\(1\\)\\)" in shown
    assert "\\*\\*not bold\\*\\*" in shown


def test_without_an_index_the_app_says_what_to_do(tmp_path: Path, monkeypatch) -> None:
    test = app(tmp_path / "nothing-here", monkeypatch)
    assert "csp ingest" in test.warning[0].value


def test_a_lost_search_index_is_rebuilt_from_the_catalog_from_the_app(
    backend_name: str, tmp_path: Path, monkeypatch
) -> None:
    import shutil

    from ingest.search.tantivy.index import TANTIVY_DIR
    from ingest.search.whoosh.index import WHOOSH_DIR

    from samples import BRAINTREE_2022, sample

    index = tmp_path / "index"
    ingest_paths([sample(BRAINTREE_2022, "text")], index, backend=backend_name)
    shutil.rmtree(index / {"whoosh": WHOOSH_DIR, "tantivy": TANTIVY_DIR}[backend_name])
    test = app(index, monkeypatch, q="J9")
    assert not test.exception
    assert "csp check --repair" in test.error[0].value
    test.button(key="rebuild_index").click().run()
    assert not test.exception
    assert "catalog and index agree: 1 documents" in test.success[0].value
    again = app(index, monkeypatch, q="J9")
    assert not again.error
    assert "Braintree" in headers(again)


def test_a_bad_query_shows_a_message_not_a_traceback(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, q='"((')
    assert not test.exception
    assert test.error[0].value.startswith("nothing to search for")


def test_opening_a_text_hit_shows_the_whole_passage(tmp_path: Path, monkeypatch) -> None:
    from samples import BRAINTREE_2022, sample

    index = tmp_path / "index"
    ingest_paths([sample(BRAINTREE_2022, "text")], index)
    test = app(index, monkeypatch, q="J9")
    test.toggle[0].set_value(True).run()
    assert any("Janine Mundy" in text.value for text in test.text)


def test_opening_a_pdf_hit_shows_the_page(corpus_index: Path, monkeypatch) -> None:
    test = app(corpus_index, monkeypatch, q='"J9 logo"')
    assert test.toggle[0].label.startswith("Open page")
    test.toggle[0].set_value(True).run()
    assert not test.exception
    assert len(test.get("image")) == 1


def run_page(page: str, index_dir: str, params: dict[str, str]) -> None:
    """Runs one page function of search_app in AppTest (pages are plain functions)."""
    import sys

    import streamlit as st

    sys.path.insert(0, index_dir.split("|")[1])
    import search_app

    for name, value in params.items():
        st.query_params[name] = value
    getattr(search_app, page)()


def page_test(page: str, index: Path, monkeypatch, **params: str) -> AppTest:
    monkeypatch.setenv("CSP_INDEX", str(index))
    root = str(Path(APP).parent)
    test = AppTest.from_function(
        run_page, args=(page, f"{index}|{root}", params), default_timeout=60
    )
    return test.run()


def test_the_spot_it_stop_it_page_shows_its_csp_by_year_matrix(
    corpus_index: Path, monkeypatch
) -> None:
    test = page_test("entities_page", corpus_index, monkeypatch, entity="Spot It Stop It")
    assert not test.exception
    assert test.header[0].value == "Spot It Stop It"
    matrix = next(shown.value for shown in test.markdown if "csp-matrix" in shown.value)
    assert '<th scope="row">Braintree</th>' in matrix
    assert '<th scope="row">Colchester</th>' in matrix
    assert '<th scope="col">2019-20</th>' in matrix
    assert any("spot it" in text.value.lower() for text in test.text)


def test_the_compare_page_sets_braintree_priorities_side_by_side(
    corpus_index: Path, monkeypatch
) -> None:
    test = page_test("compare_page", corpus_index, monkeypatch)
    test.multiselect(key="compare_areas").select("Braintree").run()
    test.multiselect(key="compare_years").select(2017).select(2018).run()
    assert not test.exception
    priorities = test.table[0].value
    assert {"Braintree 2017-18", "Braintree 2018-19"} <= set(priorities.columns)
    assert "reduce re-offending" in " ".join(priorities["Braintree 2017-18"]).lower()
    assert "Tackle the trafficking of drugs in the community" in " ".join(
        priorities["Braintree 2018-19"]
    )
    assert test.query_params["district"] == "Braintree"


def test_batch_lookup_shows_a_csp_by_year_grid_per_term(corpus_index: Path, monkeypatch) -> None:
    test = page_test("batch_page", corpus_index, monkeypatch)
    test.text_area(key="batch_terms").input("J9\nSpot It Stop It\nno such scheme anywhere").run()
    assert not test.exception
    assert [sub.value for sub in test.subheader] == [
        "J9",
        "Spot It Stop It",
        "no such scheme anywhere",
    ]
    j9, spot_it = (frame.value for frame in test.dataframe)
    assert {"Braintree", "Colchester", "Rochford"} <= set(j9.index)
    # The Braintree report's PDF and its text twin are one document.
    assert j9.loc["Braintree", "2022-23"] == 1
    assert j9.loc["Colchester", "2019-20"] == 1
    assert spot_it.loc["Colchester", "2019-20"] == 1
    assert "No document names it." in [info.value for info in test.info]
    assert test.query_params["term"] == ["J9", "Spot It Stop It", "no such scheme anywhere"]


def test_batch_lookup_takes_its_terms_from_the_url(corpus_index: Path, monkeypatch) -> None:
    test = AppTest.from_function(
        run_page,
        args=("batch_page", f"{corpus_index}|{Path(APP).parent}", {}),
        default_timeout=60,
    )
    monkeypatch.setenv("CSP_INDEX", str(corpus_index))
    test.query_params["term"] = ["J9", "Street Pastors"]
    test.run()
    assert not test.exception
    assert test.text_area(key="batch_terms").value == "J9\nStreet Pastors"
    assert [sub.value for sub in test.subheader] == ["J9", "Street Pastors"]


def test_search_filters_on_an_initiative_without_a_query(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, initiative="Spot It Stop It")
    assert not test.exception
    assert test.multiselect(key="initiative").value == ["Spot It Stop It"]
    assert {"Braintree", "Colchester"} <= set(headers(test))


def test_a_theme_shows_its_passages_by_csp_and_year_and_its_priorities(
    corpus_index: Path, monkeypatch
) -> None:
    test = page_test(
        "entities_page", corpus_index, monkeypatch, theme="burglary and acquisitive crime"
    )
    assert not test.exception
    assert test.header[0].value == "burglary and acquisitive crime"
    matrix = next(m.value for m in test.markdown if 'class="csp-matrix"' in m.value)
    assert '<th scope="row">Brentwood</th>' in matrix
    assert "/search?theme=burglary%20and%20acquisitive%20crime&amp;district=Brentwood" in matrix
    priorities = test.dataframe[0].value
    assert "Burglary" in set(priorities["priority"])


@pytest.mark.parametrize("theme", theme_names())
def test_every_theme_page_renders_whatever_the_capitals_of_its_name(
    theme: str, corpus_index: Path, monkeypatch
) -> None:
    # "domestic abuse and VAWG" used to be lower-cased and then refused as unknown.
    test = page_test("entities_page", corpus_index, monkeypatch, theme=theme)
    assert not test.exception
    assert test.header[0].value == escape_markdown(theme)
    assert not [error.value for error in test.error]


def test_search_filters_on_a_theme_with_capitals_in_its_name(
    engine_corpus_index: Path, monkeypatch
) -> None:
    test = app(engine_corpus_index, monkeypatch, q="abuse", theme="domestic abuse and VAWG")
    assert not test.exception
    assert not [error.value for error in test.error]
    # The theme in the link is kept and applied, not dropped for its capitals.
    assert test.multiselect(key="theme").value == ["domestic abuse and VAWG"]
    assert test.query_params["theme"] == "domestic abuse and VAWG"
    assert "Braintree" in set(headers(test))


def test_the_commitments_page_traces_a_csps_plan_year(corpus_index: Path, monkeypatch) -> None:
    test = page_test(
        "commitments_page", corpus_index, monkeypatch, district="Braintree", year="2018"
    )
    assert not test.exception
    assert test.selectbox(key="commitments_area").value == "Braintree"
    assert test.selectbox(key="commitments_year").value == 2018
    table = test.dataframe[0].value
    spot_it = table[table["commitment"].str.startswith("Expand the Spot It, Stop It")]
    assert spot_it["status"].tolist() == ["in progress"]
    assert "Annual Report 2022-23" in spot_it["latest evidence"].iloc[0]
    assert "no later mention found" in set(table["status"])
    test.multiselect(key="commitments_status").select("in progress").run()
    assert set(test.dataframe[0].value["status"]) == {"in progress"}
    expander = next(e for e in test.expander if "Spot It, Stop It" in e.label)
    assert any("continued to develop and expand" in m.value for m in expander.markdown)
    evidence = next(t for t in test.toggle if t.key.startswith("evidence-"))
    evidence.set_value(True).run()
    assert not test.exception
    assert len(test.get("image")) == 1


@pytest.mark.e2e
def test_the_app_answers_while_an_ingest_runs(tmp_path: Path, monkeypatch) -> None:
    """Searches read the last commit: during an ingest the page shows what is stored."""
    import subprocess

    from bench.crash import ingest_command, make_corpus

    index = tmp_path / "index"
    ingest_paths([sample(BRENTWOOD_PLAN, "pdf")], index)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 3)
    held = tmp_path / "held"
    # Each file's worker waits before analysing its text while the app runs a search.
    running = subprocess.Popen(
        [*ingest_command(corpus, index, workers=1), "--silent"],
        env=with_env(pause_env("analysing", held)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    during = 0
    try:
        for _ in held_workers(held, running):
            test = app(index, monkeypatch, q="partnership")
            assert not test.exception
            assert "Brentwood" in headers(test)
            during += running.poll() is None
    finally:
        running.wait(timeout=300)
    assert running.returncode == 0
    assert during == 3
