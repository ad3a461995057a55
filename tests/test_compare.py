"""Compare on the sample corpus: restated priorities are not changes, and the figures
table holds outcomes, not counts of a document's own parts."""

from __future__ import annotations

from pathlib import Path

from ingest.answers.compare import compare, figure_table, restates, year_on_year


def test_a_priority_restated_with_other_capitals_or_wording_is_not_a_change(
    corpus_index: Path,
) -> None:
    (change,) = year_on_year(corpus_index, "Braintree", [2017, 2018])
    # 2018-19 restates its 2017-18 priorities: "Driving Down Violence and Disorder within
    # the Community" / "Drive down violence and disorder within the community", and the
    # like; they used to be listed as added and dropped.
    assert change["priorities_added"] == []
    moved = change["priorities_added"] + change["priorities_dropped"]
    assert not any("violence and disorder" in priority.lower() for priority in moved)
    # A priority each year does not restate is still reported, once.
    dropped = [priority.lower() for priority in change["priorities_dropped"]]
    assert dropped.count("reduce re-offending") == 1


def test_restated_means_alike_not_merely_on_the_same_subject() -> None:
    assert restates(
        "Tackling the Trafficking of Drugs in the Community",
        "Tackle the trafficking of drugs in the community",
    )
    assert not restates("Reduce re-offending", "Reduce anti-social behaviour")
    assert not restates("Tackle domestic abuse", "Tackle drug dealing")


def test_the_figures_table_holds_outcomes_not_counts_of_the_documents_parts(
    corpus_index: Path,
) -> None:
    everything = compare(corpus_index, [("Braintree", 2018), ("Colchester", 2019)])
    rows = figure_table(everything)
    assert rows
    assert all(row["unit"] and row["what"] for row in rows)
    counted = {row["what"].lower() for row in rows}
    assert not counted & {"priorities", "topic areas", "themes", "objectives"}
    all_figures = [figure for column in everything.columns for figure in everything.figures[column]]
    assert any((figure["counted"] or "").lower() == "priorities" for figure in all_figures)
