"""The national-scale benchmark (bench/scale.py): varied documents, not copies, and a
run of `python -m bench --scale` on both engines whose report has every figure."""

from __future__ import annotations

import argparse
import json
from itertools import islice

import pytest

from bench.__main__ import main as bench_main
from bench.corpus import sources
from bench.queries import KINDS
from bench.scale import FIRST_YEAR, LAST_YEAR, Varier
from ingest.pipeline.extract import extract_file
from ingest.search.registry import BACKENDS, open_backend

from samples import TEXT_DIR


@pytest.fixture(scope="module")
def sample_documents():
    """Two sample texts as the product extracts them."""
    paths = sorted(TEXT_DIR.glob("*.txt"))[:2]
    return [document for path in paths for document in extract_file(path).documents]


def test_varied_documents_move_to_other_areas_years_and_names(sample_documents):
    made = list(islice(Varier(sample_documents, seed=7).stream(), 3 * len(sample_documents)))
    areas = {area for counties in sources().counties.values() for area in counties}
    entity_names = {name for names in sources().names.values() for name in names}
    for copy, document in enumerate(made):
        source = sample_documents[copy % len(sample_documents)]
        assert document.doc_id != source.doc_id
        assert len(document.sections) == len(source.sections)
        assert all(section.doc_id == document.doc_id for section in document.sections)
        assert all(section.section_id.startswith(document.doc_id) for section in document.sections)
        for section in document.sections:
            assert set(section.districts) <= areas
            for year in (section.year_from, section.year_to):
                assert year is None or FIRST_YEAR <= year <= LAST_YEAR
            for mention in section.mentions:
                if mention.label in ("INITIATIVE", "PARTNER"):
                    assert mention.canonical in entity_names
    # Not copies: the same source made twice differs in areas, years or wording.
    for first, second in zip(made, made[len(sample_documents) :], strict=False):
        texts = [[section.text for section in document.sections] for document in (first, second)]
        places = [
            {area for section in document.sections for area in section.districts}
            for document in (first, second)
        ]
        assert texts[0] != texts[1] or places[0] != places[1]
    sourced = {area for document in sample_documents for area in document.districts}
    assert {area for document in made for area in document.districts} - sourced


def test_varied_documents_are_the_same_for_the_same_seed(sample_documents):
    def texts(seed: int) -> list[str]:
        made = islice(Varier(sample_documents, seed=seed).stream(), 4)
        return [section.text for document in made for section in document.sections]

    assert texts(7) == texts(7)
    assert texts(7) != texts(8)


@pytest.mark.slow
@pytest.mark.e2e
def test_scale_run_builds_both_engines_and_reports_every_figure(corpus_index, tmp_path):
    saved = tmp_path / "scale.json"
    bench_main(
        [
            "--scale", "2000", "--scale-source", str(corpus_index), "--scale-dir",
            str(tmp_path / "indexes"), "--repeat", "1", "--json", "--save", str(saved),
        ]
    )  # fmt: skip
    results = json.loads(saved.read_text())
    assert sorted(figures["backend"] for figures in results) == sorted(BACKENDS)
    source = open_backend(corpus_index, create=False)
    source_areas = set(source.facet_counts().districts)
    source_years = set(source.facet_counts().years)
    source.close()
    for figures in results:
        assert figures["sections"] >= 2000
        for name in ("build_sections_s", "build_peak_rss_mb", "disk_mb", "generate_s"):
            assert figures[name] > 0, name
        search = figures["search"]
        for engine in ("product", "raw"):
            for kind in (None, *KINDS):
                timing = search[engine][kind] if kind else search[engine]
                assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["p99_ms"], (engine, kind)
        assert search["p95_ratio"] > 0
        assert search["facet_counts"]["p95_ms"] > 0
        assert search["facet_counts"]["every_section_ms"] > 0
        assert search["peak_rss_mb"] > 0
        # The index holds the varied sections: areas and years the samples do not have.
        index = open_backend(tmp_path / "indexes" / figures["backend"], create=False)
        assert index.section_count() == figures["sections"]
        counts = index.facet_counts()
        index.close()
        assert set(counts.districts) - source_areas
        assert set(counts.years) - source_years
        assert len(counts.districts) == figures["areas"]


def test_scale_sizes_read_as_typed():
    from bench.scale import sizes_of

    assert [sizes_of(text) for text in ("2000", "100,000", "100k", "1m", "3_000_000")] == [
        2000,
        100_000,
        100_000,
        1_000_000,
        3_000_000,
    ]
    with pytest.raises(argparse.ArgumentTypeError):
        sizes_of("lots")
