"""Agenda-pack splitting and attribution on the real sample documents, text and PDF."""

from __future__ import annotations

import pytest

from ingest.model import DocType
from ingest.pipeline.extract import extract_file

from samples import (
    ALL_SAMPLES,
    BRAINTREE_2022,
    BRAINTREE_PACK,
    BRENTWOOD_PLAN,
    COLCHESTER_PACK,
    SAFER_ESSEX,
    sample,
)

KINDS = ["text", "pdf"]


def summary(stem: str, kind: str) -> list[tuple[str, tuple[str, ...], int | None, int | None]]:
    documents = extract_file(sample(stem, kind)).documents
    return [
        (doc.doc_type.value, tuple(doc.districts), doc.year_from, doc.year_to) for doc in documents
    ]


def assert_in_order(expected: list, actual: list) -> None:
    """Every expected document appears, in this order (others may sit between them)."""
    position = 0
    for wanted in expected:
        while position < len(actual) and actual[position] != wanted:
            position += 1
        assert position < len(actual), f"missing {wanted} in {actual}"
        position += 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_braintree_pack_splits_into_its_documents(kind: str) -> None:
    assert_in_order(
        [
            ("agenda", ("Braintree",), 2018, 2018),
            ("annual report", ("Braintree",), 2017, 2017),
            ("strategic assessment", ("Braintree",), 2017, 2017),
            ("action plan", ("Braintree",), 2017, 2017),
            ("action plan", ("Braintree",), 2018, 2018),
        ],
        summary(BRAINTREE_PACK, kind),
    )


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_colchester_pack_splits_into_its_documents(kind: str) -> None:
    documents = extract_file(sample(COLCHESTER_PACK, kind)).documents
    actual = [(d.doc_type.value, tuple(d.districts), d.year_from, d.year_to) for d in documents]
    assert_in_order(
        [
            ("agenda", ("Colchester",), 2019, 2019),
            ("minutes", ("Colchester",), 2019, 2019),
            ("committee report", ("Colchester",), 2019, 2019),
            ("partnership plan", ("Colchester",), 2019, 2019),
        ],
        actual,
    )
    minutes = next(d for d in documents if d.doc_type == DocType.MINUTES)
    assert "10 September 2019" in minutes.title
    appendices = [d for d in documents if d.title.startswith("Appendix")]
    partners = " ".join(d.title for d in appendices)
    for partner in ("Clinical Commissioning Group", "Rehabilitation", "Essex Police", "Probation"):
        assert partner in partners
    # The probation service's report "(Essex)" is county-wide, as models/eval labels it;
    # the other partners report to Colchester's committee on Colchester.
    probation = next(d for d in appendices if "Probation" in d.title)
    assert (probation.districts, probation.county) == ([], "Essex")
    assert all(d.districts == ["Colchester"] for d in appendices if d is not probation)


@pytest.mark.parametrize("kind", KINDS)
def test_single_documents_get_type_area_and_period(kind: str) -> None:
    assert summary(BRAINTREE_2022, kind) == [("annual report", ("Braintree",), 2022, 2022)]
    assert summary(BRENTWOOD_PLAN, kind)[0] == ("partnership plan", ("Brentwood",), 2017, 2017)


@pytest.mark.parametrize("kind", KINDS)
def test_county_prospectus_attributes_passages_to_the_district_they_describe(kind: str) -> None:
    (document,) = extract_file(sample(SAFER_ESSEX, kind)).documents
    assert document.doc_type == DocType.PROSPECTUS
    assert document.county == "Essex"
    assert {"Rochford", "Basildon", "Harlow", "Southend-on-Sea"} <= set(document.districts)
    j9 = [s for s in document.sections if "launched the J9 initiative" in s.text]
    assert len(j9) == 1
    assert j9[0].districts == ["Rochford"]
    assert j9[0].year_from == 2011


@pytest.mark.slow
@pytest.mark.parametrize("stem", ALL_SAMPLES)
def test_text_and_pdf_paths_agree_on_documents_and_attribution(stem: str) -> None:
    assert summary(stem, "text") == summary(stem, "pdf")


def test_passing_mention_of_another_area_does_not_attribute_it() -> None:
    (document,) = extract_file(sample(BRAINTREE_2022, "text")).documents
    j9 = next(s for s in document.sections if "Janine Mundy" in s.text)
    assert "Cornwall" in j9.text
    assert j9.districts == ["Braintree"]
    assert j9.year_from == 2022


def test_pdf_sections_carry_pages_and_text_sections_do_not() -> None:
    pdf_sections = [
        s for d in extract_file(sample(BRAINTREE_2022, "pdf")).documents for s in d.sections
    ]
    text_sections = [
        s for d in extract_file(sample(BRAINTREE_2022, "text")).documents for s in d.sections
    ]
    assert all(s.page_start and s.page_end >= s.page_start for s in pdf_sections)
    assert all(s.page_start is None for s in text_sections)


def test_attribution_keeps_its_evidence() -> None:
    (document,) = extract_file(sample(BRAINTREE_2022, "text")).documents
    kinds = {item.kind: item for item in document.evidence}
    assert kinds["district"].value == "Braintree"
    assert "Braintree" in kinds["district"].phrase
    assert kinds["period"].phrase == "2022-23"
    assert kinds["doc_type"].phrase.lower() == "annual report"
