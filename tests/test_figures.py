"""Figures reported in CSP texts: money, percentages, rates and counts, and what is not one."""

from __future__ import annotations

import json
import re
from itertools import pairwise

import pytest
import spacy

from ingest.model import Figure
from ingest.nlp.figures import LEXICON_PATH, find_figures

from samples import BRAINTREE_2022, BRAINTREE_PACK, COLCHESTER_PACK, sample


def corpus_sentence(stem: str, start: str) -> str:
    """The sentence of a sample corpus text that begins with `start`, as written there."""
    text = sample(stem, "text").read_text(encoding="utf-8")
    match = re.search(re.escape(start) + r"[^\n]*?[.](?=\s|$)", text)
    assert match, f"{start!r} is not in {stem}"
    return match.group()


def only(figures: list[Figure], unit: str) -> Figure:
    matching = [figure for figure in figures if figure.unit == unit]
    assert len(matching) == 1, matching
    return matching[0]


def summary(figures: list[Figure]) -> list[tuple[str, float, str, str | None, str | None]]:
    return [(f.text, f.value, f.unit, f.counted, f.direction) for f in figures]


def test_figures_component_runs_on_a_blank_pipeline_after_a_sentencizer() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures")
    doc = nlp("The CSP funded 12 Street Pastors. Burglary fell by 8%.")
    assert summary(doc._.figures) == [
        ("12", 12.0, "count", "Street Pastors", None),
        ("8%", 8.0, "percent", "Burglary", "decrease"),
    ]


@pytest.mark.parametrize(
    ("stem", "start", "counted"),
    [
        (
            BRAINTREE_2022,
            "Braintree District Community Safety Partnership received",
            "funding allocation",
        ),
        (BRAINTREE_PACK, "The CSP has an allocated budget", "budget"),
        (
            BRAINTREE_PACK,
            "The Braintree District Community Safety Partnership received an",
            "Community Safety Grant",
        ),
    ],
)
def test_figures_braintree_grant_of_17739_says_what_it_is(
    stem: str, start: str, counted: str
) -> None:
    grant = only(find_figures(corpus_sentence(stem, start)), "GBP")
    assert (grant.text, grant.value) == ("£17,739", 17739.0)
    assert counted in grant.counted


def test_figures_fire_service_counts_in_the_braintree_annual_report() -> None:
    text = sample(BRAINTREE_2022, "text").read_text(encoding="utf-8")
    section = text[text.index("Essex County Fire & Rescue Service (ECFRS), conducted") :]
    section = section[: section.index("Sessions focused on")]
    assert [(f.value, f.unit, f.counted) for f in find_figures(section)] == [
        (302.0, "count", "Safe and Well visits"),
        (157.0, "count", "home fire safety checks"),
        (115.0, "count", "safeguarding referrals"),
        (117.0, "count", "educational inputs"),
        (11974.0, "count", "pupils"),
    ]


def test_figures_offsets_point_into_the_text_and_never_overlap() -> None:
    text = sample(BRAINTREE_2022, "text").read_text(encoding="utf-8")
    figures = find_figures(text)
    assert len(figures) > 15
    for figure, following in pairwise(figures):
        assert figure.end <= following.start
    assert all(text[f.start : f.end] == f.text for f in figures)
    # The report's years, dates, ages, phone number and course length are not figures.
    values = {f.value for f in figures}
    assert not values & {1998.0, 2003.0, 2022.0, 2023.0, 15.0, 12.0, 1376.0, 552525.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 600 young people have learnt", ("600", 600, "young people")),
        (
            "performed at three secondary schools in the district",
            ("three", 3, "secondary schools"),
        ),
        (
            "30 youth football coaches from Braintree Football Club",
            ("30", 30, "youth football coaches"),
        ),
        ("There were 1,234 referrals to MARAC in 2021/22.", ("1,234", 1234, "referrals")),
        (
            "The service visited 100 older and vulnerable residents.",
            ("100", 100, "older and vulnerable residents"),
        ),
        (
            "16 frontline practitioners and professionals attended",
            ("16", 16, "frontline practitioners"),
        ),
        (
            "30 CSE investigations recorded for this year",
            ("30", 30, "CSE investigations"),
        ),
        ("more than two million offences", ("two million", 2_000_000, "offences")),
    ],
)
def test_figures_counts_take_the_noun_phrase_after_the_number(
    text: str, expected: tuple[str, float, str]
) -> None:
    figure = only(find_figures(text), "count")
    assert (figure.text, figure.value, figure.counted) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a grant of £17,739", 17739.0),
        ("a bid for £2.5m", 2_500_000.0),
        ("a bid for £2.5 million", 2_500_000.0),
        ("a bid for £250k", 250_000.0),
        ("a bill of £1,200.50", 1200.5),
        ("a bill of 17,739 pounds", 17739.0),
    ],
)
def test_figures_money_values_with_magnitudes(text: str, value: float) -> None:
    assert only(find_figures(text), "GBP").value == value


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("The CSP gave £5,000 to fund Street Pastors in the town centre.", "Street Pastors"),
        ("Cardiff received £1.2m from the Safer Streets Fund.", "Safer Streets Fund"),
        ("Leeds received £1.2m from the Home Office to install CCTV cameras.", "CCTV cameras"),
        ("The total cost of £164 million to public agencies arises", "total cost"),
        ("The OPFCC allocated £321,827 in the form of core grants.", "core grants"),
        ("The partnership spent £3,000 on the Safer Nights campaign.", "Safer Nights campaign"),
    ],
)
def test_figures_money_says_what_it_paid_for(text: str, counted: str) -> None:
    assert only(find_figures(text), "GBP").counted == counted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("There was a 14% reduction in burglary.", ("14%", 14, "burglary", "decrease")),
        (
            "ASB incidents fell by 8 per cent last year.",
            ("8 per cent", 8, "ASB incidents", "decrease"),
        ),
        ("Burglary reduced by 12%.", ("12%", 12, "Burglary", "decrease")),
        ("an increase of 5% in hate crime", ("5%", 5, None, "increase")),
        (
            "a reduction in police-based recording of 6%",
            ("6%", 6, "police-based recording", "decrease"),
        ),
        ("Violence with injury | -13%", ("-13%", -13, None, "decrease")),
        ("Knife crime rose 12 percent.", ("12 percent", 12, "Knife crime", "increase")),
        ("up to 60% of domestic abuse victims", ("60%", 60, None, None)),
        ("a population increase of more than 25% from 2001", ("25%", 25, None, "increase")),
    ],
)
def test_figures_percentages_and_the_change_they_state(
    text: str, expected: tuple[str, float, str | None, str | None]
) -> None:
    figure = only(find_figures(text), "percent")
    assert (figure.text, figure.value, figure.counted, figure.direction) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Crime stood at 5.2 per 1,000 population.", ("5.2 per 1,000 population", 5.2, None)),
        ("3.1 crimes per 1,000 residents", ("3.1 crimes per 1,000 residents", 3.1, "crimes")),
        ("there are 247 people per square km.", ("247 people per square km", 247, "people")),
    ],
)
def test_figures_rates_keep_their_base(text: str, expected: tuple[str, float, str | None]) -> None:
    figure = only(find_figures(text), "rate")
    assert (figure.text, figure.value, figure.counted) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Crime and Disorder Act 1998 placed a joint responsibility on partners.",
        "Section 17 of the Act applies. See Item 5 and paragraph 2.3 on page 12.",
        "The meeting on 11th July 2018 at 7:15pm approved the minutes of 28.07.17.",
        "The Action Plan 2017-18 and the Strategic Assessment 2017/18 were agreed on 3 March.",
        "Chelsea was a 15 year old girl; the 12-week course ran for two months.",
        "Reviews take 12 months and referrals 6 weeks; young people aged 16 attended.",
        "Tel: 01376 552525, Causeway House, Braintree CM7 9HB.",
        "Introduction..... 1\nFunding.......... 12\n1. Introduction\n2.3 Partnership working",
        "4 Minutes of the Previous Meeting To approve the minutes.",
        "1 See section 4.2 for further information on iQuanta data",
        "This is one of the priorities; no one was hurt.",
        "Risk Matrix | Likelihood | Impact\nBurglary | 2 | 6 | 12\nRobbery | 1 | 3 | 3",
        "Write to the CSP at 21 Trinity Square, Colchester.",
    ],
)
def test_figures_dates_years_labels_and_durations_are_not_figures(text: str) -> None:
    assert find_figures(text) == []


def test_figures_statistics_rows_count_what_their_first_cell_names() -> None:
    figures = find_figures("Basildon | 79% | 72% | 3305 | 3099 | -206")
    assert summary(figures) == [
        ("79%", 79.0, "percent", "Basildon", None),
        ("72%", 72.0, "percent", "Basildon", None),
        ("3305", 3305.0, "count", "Basildon", None),
        ("3099", 3099.0, "count", "Basildon", None),
        ("-206", -206.0, "count", "Basildon", "decrease"),
    ]


def test_figures_a_lone_number_beside_prose_cells_is_not_a_statistic() -> None:
    row = "Child Sexual Exploitation | Expand the scheme to taxis and shops | 2 | 6 | BDC"
    assert find_figures(row) == []


def test_figures_lexicon_is_data_the_component_reads(tmp_path) -> None:
    lexicon = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    lexicon["number_words"]["one"] = 1
    extended = tmp_path / "lexicon.json"
    extended.write_text(json.dumps(lexicon), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("csp_figures", config={"lexicon_path": str(extended)})
    text = "The team recruited one new officer."
    assert find_figures(text) == []
    assert summary(nlp(text)._.figures) == [("one", 1.0, "count", "new officer", None)]


def test_figures_a_colon_label_names_what_a_number_counts() -> None:
    text = (
        "Key findings Richmond upon Thames remains the safest borough in London, with 59.2 "
        "crimes per 1,000 residents against a London average of 93.4. Total notifiable "
        "offences: 11,720 (up 6% on 2020-21) Burglary: 1,043 (down 11%)"
    )
    found = [(f.text, f.unit, f.counted) for f in find_figures(text)]
    assert ("93.4", "rate", "London average") in found
    assert ("11,720", "count", "Total notifiable offences") in found
    assert ("1,043", "count", "Burglary") in found
    assert ("6%", "percent", None) in found


def test_figures_a_colon_after_a_reference_word_or_before_a_year_is_no_figure() -> None:
    text = "Page: 3. Ward: 12. Version: 1.2. Year: 2021. Ref: 0123. Item 4: Minutes."
    assert find_figures(text) == []


# Rules checked on the real public texts of models/real/docs.

REAL_DOCS = LEXICON_PATH.parent.parent / "real" / "docs"


def real_line(doc_id: str, phrase: str) -> str:
    (path,) = REAL_DOCS.glob(f"{doc_id}_*.txt")
    return next(line for line in path.read_text(encoding="utf-8").splitlines() if phrase in line)


@pytest.mark.parametrize(
    ("doc_id", "phrase"),
    [
        ("008", "pdf icon PDF 196 KB"),  # a file size
        ("031", "Non-emergency: 101"),  # a service number
        ("056", "INTRODUCTION 4 The national landscape 6"),  # contents run on one line
    ],
)
def test_figures_real_file_sizes_service_numbers_and_contents_pages_are_not_figures(
    doc_id: str, phrase: str
) -> None:
    line = real_line(doc_id, phrase)
    assert [f.text for f in find_figures(line) if f.start < line.index(phrase) + len(phrase)] == []


@pytest.mark.parametrize(
    ("doc_id", "phrase", "text", "direction"),
    [
        ("124", "1 in 4 women", "1 in 4", None),
        ("117", "approximately half", "half", None),
        ("145", "fourfold increase", "fourfold", "increase"),
        ("077", "Two-thirds of the funding", "Two-thirds", None),
    ],
)
def test_figures_real_proportions_in_words_are_percent_figures(
    doc_id: str, phrase: str, text: str, direction: str | None
) -> None:
    figures = [f for f in find_figures(real_line(doc_id, phrase)) if f.text == text]
    assert figures and figures[0].unit == "percent" and figures[0].direction == direction


def test_figures_counts_in_a_row_of_capitalised_nouns_are_not_contents_pages() -> None:
    """Contents pages run on in page order; these counts do not, so they stay figures."""
    line = corpus_sentence(COLCHESTER_PACK, "In 15 months, since August 2018")
    found = {f.text: f.counted for f in find_figures(line)}
    assert found["95"] == "Community Protection Warnings"
    assert found["27"] == "Community Protection Notices"
