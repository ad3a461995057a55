"""Each search engine's index and search on hand-made CSP documents: matching, the query
language, filters, near-duplicate collapsing, snippets, hostile queries and index upkeep.
Tests taking `index`, `own_index` or `empty_index` run on every engine (`backend_name`);
those of Whoosh's own machinery (filter bits, mapped segments, its schema marker, its
searcher cache) on Whoosh."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh import index as whoosh_index
from whoosh.query import Or, Phrase, Term

from ingest.errors import IndexLocked, QueryError, SchemaMismatch
from ingest.model import DocType, Document, Section
from ingest.search.backend import Hit, SearchBackend, SearchFilters
from ingest.search.registry import open_backend
from ingest.search.tantivy import index as tantivy_index_module
from ingest.search.tantivy import reader as tantivy_reader
from ingest.search.tantivy.schema import TANTIVY_SCHEMA_VERSION, VERSION_FILE
from ingest.search.whoosh import index as index_module
from ingest.search.whoosh import reader as search_module
from ingest.search.whoosh.index import SearchIndex
from ingest.search.whoosh.query import parse_query
from ingest.search.whoosh.schema import (
    ANALYZER,
    MARKER_PREFIX,
    SCHEMA_VERSION,
    build_schema,
    check_schema,
    term_of,
)
from ingest.search.whoosh.snippets import opening

BCP = "Bournemouth, Christchurch and Poole"

BRAINTREE_J9 = (
    "The CSP commissioned Safer Places to deliver 'J9' Domestic Abuse training to 120 "
    "front-line staff, including pharmacy, library and leisure centre workers, so that "
    "victims know where to find help."
)
BRAINTREE_SPOT = (
    "Work continued to expand the Spot it Stop it scheme. Licensed premises staff learnt "
    "to recognise vulnerability and sexual exploitation in the night-time economy."
)
COLCHESTER_J9 = (
    "Domestic Abuse | Roll out J9 awareness sessions to partner agencies and GP surgeries "
    "| Lead: Colchester Borough Council | Target: 10 sessions"
)
COLCHESTER_SPOT = (
    "SPOT IT, STOP IT: local businesses can play a positive role in tackling child "
    "sexual exploitations."
)
ROCHFORD_J9 = (
    "In June 2011 Rochford District CSP launched the J9 initiative, named after Janine "
    "Mundy, so that victims of domestic abuse can seek help discreetly."
)
BASILDON_PASTORS = (
    "Street Pastors patrolled the town centre on Friday and Saturday nights. SOS+ "
    "sessions were delivered in four schools; officers spot problems early and stop them "
    "escalating."
)


def section(
    doc_id: str,
    n: int,
    heading_path: list[str],
    text: str,
    page: int | None = None,
    districts: list[str] | None = None,
    year: int | None = None,
) -> Section:
    return Section(
        section_id=f"{doc_id}:{n}",
        doc_id=doc_id,
        heading_path=heading_path,
        text=text,
        page_start=page,
        page_end=page,
        char_start=0,
        char_end=len(text),
        districts=districts or [],
        year_from=year,
        year_to=year,
    )


def document(
    doc_id: str,
    source: str,
    title: str,
    doc_type: DocType,
    districts: list[str],
    years: tuple[int, int] | None,
    sections: list[tuple[list[str], str, int | None]],
    county: str | None = None,
) -> Document:
    """A document whose sections have its areas and years, as attribution gives a
    single-area document's sections."""
    doc = Document(
        doc_id=doc_id,
        source=source,
        file_sha256=doc_id,
        part=0,
        title=title,
        doc_type=doc_type,
        districts=districts,
        county=county,
        year_from=years[0] if years else None,
        year_to=years[1] if years else None,
    )
    doc.sections = [
        section(doc_id, n, headings, text, page, districts=list(districts))
        for n, (headings, text, page) in enumerate(sections)
    ]
    for part in doc.sections:
        part.year_from, part.year_to = doc.year_from, doc.year_to
    return doc


def corpus() -> list[Document]:
    braintree_headings = [
        ["Annual Report 2022-23", "Domestic Abuse", "J9 Training"],
        ["Annual Report 2022-23", "Night-time Economy", "Spot it Stop it"],
    ]
    # A county document: its first passage names no area, so it stays county-level.
    essex = document(
        "essex-2016",
        "corpus/text/safer-essex-strategic-assessment-2016-2020.txt",
        "Safer Essex Strategic Assessment 2016-2020",
        DocType.STRATEGIC_ASSESSMENT,
        ["Harlow", "Chelmsford"],
        (2016, 2019),
        [(["Night-time Economy"], "Purple Flag accreditation for town centres.", None)],
        county="Essex",
    )
    essex.sections[0].districts = []
    essex.sections.append(
        section(
            "essex-2016",
            1,
            ["Night-time Economy", "Harlow"],
            "Harlow town centre gained Purple Flag status.",
            districts=["Harlow"],
            year=2018,
        )
    )
    return [
        document(
            "braintree-2022",
            "corpus/pdf/braintree-annual-report-2022-23.pdf",
            "Braintree Community Safety Partnership Annual Report 2022-23",
            DocType.ANNUAL_REPORT,
            ["Braintree"],
            (2022, 2022),
            [(braintree_headings[0], BRAINTREE_J9, 6), (braintree_headings[1], BRAINTREE_SPOT, 9)],
            county="Essex",
        ),
        # The same report as text: same headings, its lines wrapped differently.
        document(
            "braintree-2022-txt",
            "corpus/text/braintree-annual-report-2022-23.txt",
            "Braintree Community Safety Partnership Annual Report 2022-23",
            DocType.ANNUAL_REPORT,
            ["Braintree"],
            (2022, 2022),
            [
                (braintree_headings[0], BRAINTREE_J9.replace(" to 120 ", " to 120\n"), None),
                (braintree_headings[1], BRAINTREE_SPOT.replace(". ", ".\n"), None),
            ],
            county="Essex",
        ),
        document(
            "colchester-2019",
            "corpus/text/colchester-partnership-plan-2019-20.txt",
            "Safer Colchester Partnership Plan 2019-20",
            DocType.PARTNERSHIP_PLAN,
            ["Colchester"],
            (2019, 2019),
            [
                (["Partnership Plan 2019-20", "Action Plan"], COLCHESTER_J9, None),
                (["Partnership Plan 2019-20", "Child Exploitation"], COLCHESTER_SPOT, None),
            ],
            county="Essex",
        ),
        document(
            "rochford-2011",
            "corpus/text/rochford-strategic-assessment-2011-12.txt",
            "Rochford Community Safety Partnership Strategic Assessment 2011-12",
            DocType.STRATEGIC_ASSESSMENT,
            ["Rochford"],
            (2011, 2011),
            [(["Strategic Assessment 2011-12", "Domestic Abuse"], ROCHFORD_J9, None)],
            county="Essex",
        ),
        document(
            "basildon-minutes",
            "corpus/text/basildon-csp-minutes.txt",
            "Basildon Community Safety Partnership Minutes",
            DocType.MINUTES,
            ["Basildon"],
            None,
            [(["Minutes", "Item 4: Street Pastors"], BASILDON_PASTORS, None)],
            county="Essex",
        ),
        document(
            "bcp-2021",
            "corpus/text/bcp-annual-report-2021-22.txt",
            "BCP Community Safety Partnership Annual Report 2021-22",
            DocType.ANNUAL_REPORT,
            [BCP],
            (2021, 2021),
            [
                (
                    ["Annual Report 2021-22", "Health"],
                    "The CSP funded J9 champions in GP practices.",
                    3,
                )
            ],
        ),
        essex,
    ]


def build(folder: Path, backend_name: str) -> SearchBackend:
    """The hand-made corpus indexed by one engine in the index folder `folder`."""
    index = open_backend(folder, backend_name)
    index.add_documents(corpus(), cluster_ids={"braintree-2022-txt": "braintree-2022"})
    return index


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, backend_name: str) -> SearchBackend:
    """The shared corpus index of each engine; tests that write build their own."""
    return build(tmp_path_factory.mktemp(f"shared-{backend_name}"), backend_name)


@pytest.fixture(scope="module")
def shared_whoosh(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The shared corpus index on Whoosh, for tests of Whoosh's own machinery."""
    index = SearchIndex.open(tmp_path_factory.mktemp("shared-whoosh") / "whoosh")
    index.add_documents(corpus(), cluster_ids={"braintree-2022-txt": "braintree-2022"})
    return index


@pytest.fixture
def own_index(tmp_path: Path, backend_name: str) -> SearchBackend:
    return build(tmp_path, backend_name)


@pytest.fixture
def empty_index(tmp_path: Path, backend_name: str) -> SearchBackend:
    return open_backend(tmp_path, backend_name)


READERS = {"whoosh": search_module, "tantivy": tantivy_reader}
INDEX_MODULES = {"whoosh": index_module, "tantivy": tantivy_index_module}


def places(hits: list[Hit]) -> list[str]:
    """Each hit's area (its county when it has none), sorted."""
    return sorted(hit.districts[0] if hit.districts else str(hit.county) for hit in hits)


def ranked_places(hits: list[Hit]) -> list[str]:
    """Each hit's area (its county when it has none), best first."""
    return [hit.districts[0] if hit.districts else str(hit.county) for hit in hits]


# Analysis ------------------------------------------------------------------------------


def test_analyzer_folds_case_punctuation_accents_and_stems() -> None:
    text = "Spot It, Stop It! J9's SOS+ exploitations Café CSPs' policies businesses ﬁrst"
    assert [token.text for token in ANALYZER(text)] == [
        "spot",
        "it",
        "stop",
        "it",
        "j9",
        "sos",
        "exploit",
        "cafe",
        "csp",
        "polici",
        "busi",
        "first",
    ]


def test_overlong_tokens_are_dropped_and_break_phrases() -> None:
    tokens = ANALYZER("a " + "x" * 70 + " b", positions=True)
    assert [(token.text, token.pos) for token in tokens] == [("a", 0), ("b", 2)]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("partnerships", "partnership"),
        ("exploited", "exploitation"),
        ("communities", "community"),
        ("burglaries", "burglary"),
        ("delivered", "delivering"),
        ("CSPs", "CSP"),
        ("PCSOs", "PCSO"),
        ("csps", "csp"),
    ],
)
def test_stemming_meets_inflections(first: str, second: str) -> None:
    assert term_of(first) == term_of(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [("communication", "community"), ("police", "policy"), ("news", "new")],
)
def test_stemming_keeps_different_words_apart(first: str, second: str) -> None:
    assert term_of(first) != term_of(second)


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("J9", "j9"),
        ("ASB", "asb"),
        ("DA", "da"),
        ("IOM", "iom"),
        ("VAWG", "vawg"),
        ("MARAC", "marac"),
        ("SOS", "sos"),
        ("j9s", "j9s"),
        ("2019", "2019"),
        ("news", "news"),
    ],
)
def test_short_codes_are_kept_whole(word: str, term: str) -> None:
    assert term_of(word) == term


# Matching and the query language -------------------------------------------------------


def test_short_codes_match_in_any_case(index: SearchBackend) -> None:
    expected = [BCP, "Braintree", "Colchester", "Rochford"]
    assert places(index.search("J9")) == expected
    assert places(index.search("j9")) == expected
    assert places(index.search("SOS+")) == ["Basildon"]


def test_phrases_ignore_case_and_punctuation_but_keep_order(index: SearchBackend) -> None:
    assert places(index.search('"Spot It, Stop It"')) == ["Braintree", "Colchester"]
    assert places(index.search('"spot it stop it"')) == ["Braintree", "Colchester"]
    assert places(index.search("Spot-It Stop-It")) == ["Braintree", "Colchester"]
    assert places(index.search('"stop it spot it"')) == []


def test_short_words_are_searched_not_dropped(index: SearchBackend) -> None:
    # Basildon has "spot" and "stop" but no "it".
    assert places(index.search("spot AND stop")) == ["Basildon", "Braintree", "Colchester"]
    assert places(index.search("spot AND it AND stop")) == ["Braintree", "Colchester"]
    assert places(index.search("+spot +it +stop")) == ["Braintree", "Colchester"]


def test_words_standing_together_rank_first(index: SearchBackend) -> None:
    # Unquoted, every section with "spot" or "stop" is found, the scheme's first.
    ranked = ranked_places(index.search("Spot It Stop It"))
    assert sorted(ranked[:2]) == ["Braintree", "Colchester"]
    assert "Basildon" in ranked[2:]


def test_plurals_match_singulars(index: SearchBackend) -> None:
    assert places(index.search("exploitation")) == ["Braintree", "Colchester"]
    assert places(index.search("exploitations")) == ["Braintree", "Colchester"]


def test_boolean_operators_and_brackets(index: SearchBackend) -> None:
    assert places(index.search("J9 AND training")) == ["Braintree"]
    assert places(index.search("J9 NOT training")) == [BCP, "Colchester", "Rochford"]
    assert places(index.search('"Street Pastors" OR "Purple Flag"')) == [
        "Basildon",
        "Essex",
        "Harlow",
    ]
    assert places(index.search("(J9 OR SOS) NOT Rochford")) == [
        "Basildon",
        BCP,
        "Braintree",
        "Colchester",
    ]


def test_lower_case_operators_are_stop_words(index: SearchBackend) -> None:
    # Only capitals are operators; lower-case "and", "or", "not" cost nothing.
    assert ranked_places(index.search("J9 and training"))[0] == "Braintree"
    assert places(index.search("J9 or SOS")) == places(index.search("J9 OR SOS"))
    assert places(index.search("J9 OR SOS")) == [
        "Basildon",
        BCP,
        "Braintree",
        "Colchester",
        "Rochford",
    ]


def test_headings_and_titles_are_searched(index: SearchBackend) -> None:
    (item,) = index.search("Item")  # only in a heading
    assert item.heading_path == ["Minutes", "Item 4: Street Pastors"]
    assert places(index.search("Mundy")) == ["Rochford"]
    # Title words: only Rochford's J9 passage has all three.
    assert ranked_places(index.search("J9 Rochford Assessment"))[0] == "Rochford"
    assert places(index.search("J9 AND Rochford AND Assessment")) == ["Rochford"]


def test_parse_query_searches_text_heading_and_title() -> None:
    assert parse_query("J9 AND J9") == Or(
        [Term("text", "j9"), Term("heading", "j9"), Term("title", "j9")]
    )
    assert set(parse_query("J9").iter_all_terms()) == {
        ("text", "j9"),
        ("heading", "j9"),
        ("title", "j9"),
    }
    assert Phrase("text", ["x", "y"]) in parse_query("x:y").leaves()
    assert Phrase("text", ["x", "y"]) in parse_query("x:y AND x").leaves()


# Filters -------------------------------------------------------------------------------


def test_district_filter_matches_whole_area_names(index: SearchBackend) -> None:
    assert places(index.search("J9", SearchFilters(districts=["Colchester"]))) == ["Colchester"]
    assert places(index.search("J9", SearchFilters(districts=["colchester", BCP]))) == [
        BCP,
        "Colchester",
    ]
    assert index.search("J9", SearchFilters(districts=["Poole"])) == []


def test_year_filter_keeps_overlapping_sections(index: SearchBackend) -> None:
    def years(first: int | None, last: int | None, query: str = "J9") -> list[str]:
        return places(index.search(query, SearchFilters(year_from=first, year_to=last)))

    assert years(2019, 2019) == ["Colchester"]
    assert years(2015, None) == [BCP, "Braintree", "Colchester"]
    assert years(None, 2012) == ["Rochford"]
    # The county assessment spans 2016-17 to 2019-20; its Harlow section is 2018-19.
    assert years(2017, 2017, "Purple Flag") == ["Essex"]
    assert years(2018, 2018, "Purple Flag") == ["Essex", "Harlow"]
    assert years(2020, 2030, "Purple Flag") == []


def test_sections_without_a_year_are_found_unless_years_are_asked_for(
    index: SearchBackend,
) -> None:
    assert places(index.search("Pastors")) == ["Basildon"]
    assert index.search("Pastors", SearchFilters(year_from=1990, year_to=2030)) == []
    assert index.search("Pastors", SearchFilters(year_to=2030)) == []


def test_doc_type_county_and_doc_filters(index: SearchBackend) -> None:
    def found(filters: SearchFilters) -> list[str]:
        return places(index.search("J9", filters))

    assert found(SearchFilters(doc_types=["strategic assessment"])) == ["Rochford"]
    assert found(SearchFilters(doc_types=["annual report", "partnership plan"])) == [
        BCP,
        "Braintree",
        "Colchester",
    ]
    assert found(SearchFilters(county="Essex")) == ["Braintree", "Colchester", "Rochford"]
    assert found(SearchFilters(doc_id="rochford-2011")) == ["Rochford"]
    assert found(SearchFilters(districts=["Braintree"], year_from=2019, year_to=2019)) == []


def test_backwards_years_are_a_query_error(index: SearchBackend) -> None:
    with pytest.raises(QueryError, match="backwards"):
        index.search("J9", SearchFilters(year_from=2020, year_to=2019))


def test_sections_without_attribution_take_the_documents_years_but_not_its_areas(
    index: SearchBackend,
) -> None:
    county, harlow = sorted(index.search('"Purple Flag"'), key=lambda hit: hit.section_id)
    assert (county.districts, county.county) == ([], "Essex")
    assert (county.year_from, county.year_to, county.period) == (2016, 2019, "2016-17 to 2019-20")
    assert (harlow.districts, harlow.year_from, harlow.period) == (["Harlow"], 2018, "2018-19")
    assert index.search("Purple Flag", SearchFilters(districts=["Chelmsford"])) == []
    assert index.search('"Purple Flag"', SearchFilters(districts=["Harlow"])) == [harlow]
    (colchester,) = index.search("J9", SearchFilters(districts=["Colchester"]))
    assert colchester.county == "Essex"
    (bcp,) = index.search("champions AND J9")
    assert bcp.county is None


def test_facet_counts(index: SearchBackend) -> None:
    counts = index.facet_counts()
    assert counts.districts == {
        "braintree": 4,
        "colchester": 2,
        "rochford": 1,
        "basildon": 1,
        "bournemouth, christchurch and poole": 1,
        "harlow": 1,
    }
    assert counts.doc_types == {
        "annual report": 5,
        "partnership plan": 2,
        "strategic assessment": 3,
        "minutes": 1,
    }
    assert counts.years == {2011: 1, 2016: 1, 2018: 1, 2019: 2, 2021: 1, 2022: 4}
    assert index.facet_counts("J9").districts == {
        "braintree": 2,
        "colchester": 1,
        "rochford": 1,
        "bournemouth, christchurch and poole": 1,
    }


# Near-duplicates -----------------------------------------------------------------------


def test_near_duplicates_collapse_into_the_copy_with_pages(index: SearchBackend) -> None:
    (hit,) = index.search("J9 AND training")
    assert (hit.source, hit.page, hit.also_in) == (
        "corpus/pdf/braintree-annual-report-2022-23.pdf",
        6,
        ["corpus/text/braintree-annual-report-2022-23.txt"],
    )
    braintree = [hit for hit in index.search("J9 OR Spot") if hit.districts == ["Braintree"]]
    assert sorted((hit.page, len(hit.also_in)) for hit in braintree) == [(6, 1), (9, 1)]


def twins(doc_id: str, cluster: str, passages: list[tuple[list[str], str]]) -> Document:
    """A document of `cluster`: the PDF (with pages) if it is the cluster's own, else text."""
    original = doc_id == cluster
    return document(
        doc_id,
        f"{doc_id}.pdf" if original else f"{doc_id}.txt",
        "Report",
        DocType.ANNUAL_REPORT,
        ["Braintree"],
        (2022, 2022),
        [(headings, text, 1 if original else None) for headings, text in passages],
    )


def test_collapsing_needs_the_same_cluster_and_the_same_passage(
    empty_index: SearchBackend,
) -> None:
    index = empty_index
    # No headings, so only the texts can tell passages apart.
    training = ([], "Safer Places delivered J9 training to 40 staff.")
    leaflets = ([], "J9 leaflets went to GPs.")
    index.add_documents(
        [
            twins("a", "a", [training, leaflets]),
            twins("b", "a", [leaflets, training]),
            twins("c", "c", [training]),  # the same words in a document of its own
        ],
        cluster_ids={"b": "a"},
    )
    hits = index.search("J9")
    assert sorted((hit.doc_id, hit.also_in) for hit in hits) == [
        ("a", ["b.txt"]),
        ("a", ["b.txt"]),
        ("c", []),
    ]


def test_collapsing_still_fills_the_page(
    empty_index: SearchBackend, backend_name: str, monkeypatch
) -> None:
    monkeypatch.setattr(READERS[backend_name], "OVERFETCH", 1)
    monkeypatch.setattr(READERS[backend_name], "MIN_EXTRA", 0)
    index = empty_index
    # Shorter passages score higher, so the top two raw hits are one passage and its twin.
    texts = [
        "J9 training for pharmacy staff.",
        "J9 leaflets handed out at Braintree library.",
        "J9 champions were recruited at a Halstead GP surgery.",
    ]
    passages = [([f"Part {n}"], text) for n, text in enumerate(texts)]
    index.add_documents(
        [twins("a", "a", passages), twins("b", "a", passages)], cluster_ids={"b": "a"}
    )
    hits = index.search("J9", limit=2)
    assert [(hit.section_id, hit.also_in) for hit in hits] == [
        ("a:0", ["b.txt"]),
        ("a:1", ["b.txt"]),
    ]


# Snippets ------------------------------------------------------------------------------


def test_snippets_mark_matches_in_plain_text(index: SearchBackend) -> None:
    (colchester,) = index.search('"spot it stop it"', SearchFilters(districts=["Colchester"]))
    assert colchester.snippet == (
        "«SPOT IT, STOP IT»: local businesses can play a positive role in tackling child "
        "sexual exploitations."
    )
    braintree = index.search("J9 training")[0]
    assert braintree.snippet == BRAINTREE_J9.replace(
        "'J9' Domestic Abuse training", "'«J9»' Domestic Abuse «training»"
    )
    assert "<" not in braintree.snippet


def test_snippet_without_a_match_in_the_text_is_its_opening(index: SearchBackend) -> None:
    (item,) = index.search("Item")
    assert item.snippet == BASILDON_PASTORS
    long_text = "word " * 100
    assert opening(long_text) == ("word " * 39 + "word …")


def test_snippets_never_show_markers_from_the_text(empty_index: SearchBackend) -> None:
    index = empty_index
    index.add_documents([twins("a", "a", [([], "The «Safe Haven» scheme & J9 (<5 staff).")])])
    (hit,) = index.search("J9")
    assert hit.snippet == 'The "Safe Haven" scheme & «J9» (<5 staff).'


def test_long_sections_give_cut_snippets(empty_index: SearchBackend) -> None:
    index = empty_index
    filler = "The partnership met quarterly to review progress. " * 20
    index.add_documents([twins("a", "a", [([], filler + "J9 training began in May. " + filler)])])
    (hit,) = index.search("J9")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert "«J9» training began in May." in hit.snippet
    assert len(hit.snippet) < 400


def test_hits_serialise_with_exactly_their_fields(index: SearchBackend) -> None:
    (hit,) = index.search("Mundy")
    data = json.loads(json.dumps(hit.to_dict()))
    assert list(data) == [
        "section_id",
        "doc_id",
        "cluster_id",
        "title",
        "source",
        "doc_type",
        "districts",
        "county",
        "year_from",
        "year_to",
        "period",
        "date",
        "heading_path",
        "page",
        "page_end",
        "score",
        "snippet",
        "also_in",
        "synonyms",
        "more_passages",
        "passages",
        "source_url",
        "publisher",
        "retrieved",
        "file_name",
    ]
    assert (data["more_passages"], data["passages"]) == (0, []), "a passage's hit lists none"
    assert data["doc_type"] == "strategic assessment"
    assert data["period"] == "2011-12"
    assert data["page"] is None


# Hostile queries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["", "   ", "AND", "OR OR", "NOT", '"', '""', "((", "*", "🙂", "\x00\x07", "\ud800", "( )"],
)
def test_queries_with_nothing_to_find_are_refused_clearly(index: SearchBackend, query: str) -> None:
    with pytest.raises(QueryError, match="nothing to search for"):
        index.search(query)


@pytest.mark.parametrize("query", ["NOT J9", "NOT(J9)", "J9 OR NOT training", "NOT NOT J9"])
def test_only_excluding_is_refused(index: SearchBackend, query: str) -> None:
    with pytest.raises(QueryError, match="NOT only excludes"):
        index.search(query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("J9 🙂", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("\x00J9\x07", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("J\u200b9", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("))J9((", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("J9 AND", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("OR (AND J9 NOT)", [BCP, "Braintree", "Colchester", "Rochford"]),
        ("J9 AND AND training", ["Braintree"]),
        ('"Spot it Stop it" AND "', ["Braintree", "Colchester"]),
        ("“Spot it, Stop it”", ["Braintree", "Colchester"]),
        # Strict (AND), so each odd word must be in the section as a word.
        ("title:J9 AND J9", []),
        ("districts:Braintree AND J9", []),
        ("J* AND J9", []),
        ("[a TO z] AND J9", []),
        ("J9^5 AND J9", []),
    ],
)
def test_odd_queries_are_read_literally(
    index: SearchBackend, query: str, expected: list[str]
) -> None:
    assert places(index.search(query)) == expected


def test_overlong_and_deep_queries_are_refused_clearly(index: SearchBackend) -> None:
    with pytest.raises(QueryError, match="too long"):
        index.search("J9 " * 400)
    with pytest.raises(QueryError, match="too long"):
        index.search("J9 " * 5000)
    with pytest.raises(QueryError, match="nested brackets"):
        index.search("(" * 9 + "J9" + ")" * 9)
    assert places(index.search("(" * 8 + "J9" + ")" * 8)) == [
        BCP,
        "Braintree",
        "Colchester",
        "Rochford",
    ]


PIECES = ["J9", "AND", "OR", "NOT", "(", ")", '"', "spot", "it", "x:y", "*", "~2", "^", "🙂"]
QUERIES = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([*PIECES, "\x00", "-", "[", "TO", "]", ":"]), max_size=15).map(
        " ".join
    ),
    st.lists(st.sampled_from(PIECES), max_size=15).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(query=QUERIES)
def test_any_text_gives_results_or_a_query_error(index: SearchBackend, query: str) -> None:
    try:
        hits = index.search(query)
    except QueryError as error:
        message = str(error)
        assert message and "\n" not in message
    else:
        assert all(isinstance(hit, Hit) for hit in hits)


# Index upkeep --------------------------------------------------------------------------


def test_an_index_of_another_schema_is_refused(tmp_path: Path) -> None:
    older = tmp_path / "older"
    older.mkdir()
    whoosh_index.create_in(str(older), fields.Schema(text=fields.TEXT(stored=True)))
    with pytest.raises(SchemaMismatch, match=r"schema version unknown.*rebuild"):
        SearchIndex.open(older)

    previous = build_schema()
    previous.remove(f"{MARKER_PREFIX}{SCHEMA_VERSION}")
    previous.add(f"{MARKER_PREFIX}{SCHEMA_VERSION - 1}", fields.STORED())
    with pytest.raises(SchemaMismatch, match=f"version {SCHEMA_VERSION - 1}, but"):
        check_schema(previous, tmp_path)

    changed = build_schema()
    changed.remove("heading")
    with pytest.raises(SchemaMismatch):
        check_schema(changed, tmp_path)

    check_schema(build_schema(), tmp_path)
    SearchIndex.open(tmp_path / "current")
    assert SearchIndex.open(tmp_path / "current", create=False).section_count() == 0


def test_an_index_of_another_tantivy_schema_is_refused(tmp_path: Path) -> None:
    open_backend(tmp_path, "tantivy").close()
    marker = tmp_path / tantivy_index_module.TANTIVY_DIR / VERSION_FILE
    marker.write_text(f"{TANTIVY_SCHEMA_VERSION - 1}\n")
    with pytest.raises(SchemaMismatch, match=f"version {TANTIVY_SCHEMA_VERSION - 1}, but"):
        open_backend(tmp_path, "tantivy")


def test_opening_a_missing_index_without_create_fails_clearly(
    tmp_path: Path, backend_name: str
) -> None:
    with pytest.raises(FileNotFoundError, match="csp ingest"):
        open_backend(tmp_path / "nothing", backend_name, create=False)


def test_deleted_documents_leave_an_open_searcher(own_index: SearchBackend) -> None:
    before = own_index.section_count()
    assert places(own_index.search("Pastors")) == ["Basildon"]
    own_index.delete_documents(["basildon-minutes"])
    assert own_index.search("Pastors") == []
    assert "basildon-minutes" not in own_index.doc_ids()
    assert own_index.section_count() == before - 1


def test_a_second_commit_is_seen_by_the_next_search(own_index: SearchBackend) -> None:
    assert own_index.search("Southend") == []
    own_index.add_documents(
        [twins("southend", "southend", [([], "Southend launched J9 in 2014.")])]
    )
    assert [hit.doc_id for hit in own_index.search("Southend")] == ["southend"]


def test_whoosh_keeps_one_searcher_until_a_commit(tmp_path: Path) -> None:
    own_index = SearchIndex.open(tmp_path / "whoosh")
    own_index.add_documents(corpus())
    first = own_index.searcher()
    assert own_index.search("Southend") == []
    own_index.add_documents(
        [twins("southend", "southend", [([], "Southend launched J9 in 2014.")])]
    )
    assert [hit.doc_id for hit in own_index.search("Southend")] == ["southend"]
    assert own_index.searcher() is not first
    assert own_index.searcher() is own_index.searcher()
    # The replaced searcher stays usable until the commit after next.
    assert first.doc_count() == own_index.section_count() - 1


def test_adding_a_document_again_replaces_all_its_sections(own_index: SearchBackend) -> None:
    before = own_index.section_count()
    shorter = document(
        "colchester-2019",
        "corpus/text/colchester-partnership-plan-2019-20.txt",
        "Safer Colchester Partnership Plan 2019-20",
        DocType.PARTNERSHIP_PLAN,
        ["Colchester"],
        (2019, 2019),
        [(["Partnership Plan 2019-20"], "Hate crime reporting centres opened.", None)],
    )
    assert own_index.add_documents([shorter]) == 1
    assert own_index.section_count() == before - 1
    assert places(own_index.search("Colchester AND J9")) == []
    assert [hit.section_id for hit in own_index.search("hate crime")] == ["colchester-2019:0"]


def test_doc_ids_and_clear(own_index: SearchBackend) -> None:
    assert own_index.doc_ids() == {doc.doc_id for doc in corpus()}
    assert own_index.section_count() == 11
    own_index.clear()
    assert own_index.doc_ids() == set()
    assert own_index.section_count() == 0
    assert own_index.search("J9") == []


def test_a_held_lock_gives_a_clear_error(
    tmp_path: Path, own_index: SearchBackend, backend_name: str, monkeypatch
) -> None:
    monkeypatch.setattr(INDEX_MODULES[backend_name], "LOCK_TIMEOUT_S", 0.2)
    with own_index.batch():  # a batch holds its writer, and the lock, until it ends
        own_index.add_documents(corpus()[:1])
        other = open_backend(tmp_path, backend_name)
        with pytest.raises(IndexLocked, match="another process"):
            other.delete_documents(["rochford-2011"])
    own_index.delete_documents(["rochford-2011"])
    assert "rochford-2011" not in own_index.doc_ids()


def test_a_batch_commits_once_and_re_adding_inside_it_keeps_one_copy(
    empty_index: SearchBackend,
) -> None:
    index = empty_index
    documents = corpus()
    with index.batch():
        index.add_documents(documents[:2])
        index.add_documents(documents[2:])
        assert index.section_count() == 0  # searches see the last commit
        index.add_documents(documents[:1])  # its pending copy is committed, then replaced
    assert index.doc_ids() == {doc.doc_id for doc in documents}
    assert index.section_count() == 11


FILTERS = [
    SearchFilters(districts=["Braintree"]),
    SearchFilters(districts=["Colchester", BCP], year_from=2019),
    SearchFilters(year_from=2011, year_to=2011),
    SearchFilters(year_to=2018, doc_types=["annual report"]),
    SearchFilters(county="Essex", year_from=2022, year_to=2030),
    SearchFilters(doc_id="rochford-2011"),
    SearchFilters(districts=["Nowhere"]),
]


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_cached_filter_bits_are_the_filter_query_sections(
    shared_whoosh: SearchIndex, filters: SearchFilters, monkeypatch
) -> None:
    built = []
    cached_bits = search_module.cached_bits

    def counting(searcher, key, build):
        return cached_bits(searcher, key, lambda: built.append(key) or build())

    monkeypatch.setattr(search_module, "cached_bits", counting)
    searcher = shared_whoosh.searcher()
    search_module._docsets.pop(searcher, None)  # this searcher's cache starts empty
    bits = search_module.allowed_bits(filters, searcher)
    assert bits is not None
    listed = {n for n in range(searcher.doc_count_all()) if bits >> n & 1}
    assert listed == set(searcher.docs_for_query(search_module.as_filter_query(filters)))
    # Each facet value's and year's bits are built once, then read from the cache.
    first = list(built)
    assert first or filters.doc_id
    assert search_module.allowed_bits(filters, searcher) == bits
    assert built == first, "the same searcher built the same bits again"


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_filters_anded_with_the_query_or_as_whoosh_filter_give_the_same_hits(
    shared_whoosh: SearchIndex, filters: SearchFilters, monkeypatch
) -> None:
    def hits() -> list[tuple[str, float]]:
        return [(hit.section_id, hit.score) for hit in shared_whoosh.search("J9 OR crime", filters)]

    monkeypatch.setattr(search_module, "SELECTIVE", 1.0)  # always ANDed
    anded = hits()
    monkeypatch.setattr(search_module, "SELECTIVE", -1.0)  # always Whoosh's filter
    assert hits() == anded


def mapped_segments(folder: Path) -> list[str]:
    """The index's segment files this process has mapped into memory."""
    maps = Path("/proc/self/maps").read_text().splitlines()
    return [line for line in maps if str(folder) in line and line.endswith(".seg")]


@pytest.mark.parametrize("bulk_write", [True, False])
def test_an_ingest_reads_segments_without_mapping_them(tmp_path: Path, bulk_write: bool) -> None:
    # Mapped pages stay resident: an ingest that mapped the segments its deletes and
    # merges read would grow with the index.
    folder = tmp_path / "whoosh"
    passages = [([f"Part {n}"], f"J9 training session {n} for Braintree staff.") for n in range(3)]
    for name in "abc":  # three commits, so later writes read earlier segments
        writer = SearchIndex.open(folder, bulk_write=bulk_write)
        writer.add_documents([twins(name, name, passages)])
        assert writer.section_count() == 3 * (1 + "abc".index(name))
        assert len(writer.search("J9")) == 3 * (1 + "abc".index(name))
        assert bool(mapped_segments(folder)) is not bulk_write
        writer.close()
