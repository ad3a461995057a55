"""The scaled benchmark corpus: deterministic, in range, readable by the product."""

from __future__ import annotations

import json

import pymupdf
import pytest

from bench.corpus import SIZES, build_big_pdf, build_corpus, generate_text, sources
from ingest.readers.pdf import read_pdf
from ingest.structure.sections import build_passages, judge_headings


def test_bench_corpus_same_seed_same_text_other_seed_other_text():
    assert generate_text(7, 3) == generate_text(7, 3)
    assert generate_text(7, 3)[1] != generate_text(8, 3)[1]
    assert generate_text(7, 3)[1] != generate_text(7, 4)[1]


def test_bench_corpus_moves_documents_to_their_county_and_years():
    spec, text, header, footer, _ = generate_text(7, 3)
    targets = set(spec.areas.values())
    assert any(area in text for area in targets)
    # The sample's own areas are gone unless the target county happens to have them.
    for source in set(sources().counties["Essex"]) - targets - {spec.county}:
        assert source not in text, source
    assert spec.year_shift == 0 or "2017/18" not in (footer or "") + (header or "")


def test_bench_corpus_sizes_are_the_issue_sizes():
    assert 40 <= SIZES["quick"] <= 60
    assert SIZES["full"] >= 1000


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    return build_corpus(4, seed=11, cache_dir=tmp_path_factory.mktemp("cache"), workers=2)


def test_bench_corpus_pdfs_read_with_pages_and_sections_in_range(small_corpus):
    listed = json.loads(small_corpus.manifest.read_text())["files"]
    assert len(small_corpus.files) == 4
    assert small_corpus.pages == sum(entry["pages"] for entry in listed)
    for path, entry in zip(small_corpus.files, listed, strict=True):
        parsed = read_pdf(path)
        assert parsed.page_count == entry["pages"]
        assert 5 <= parsed.page_count <= 80
        judge_headings(parsed.blocks)
        sections = len(build_passages(parsed.blocks))
        # The full size needs about 25 pages and 100 sections a document on average.
        assert parsed.page_count <= sections <= 10 * parsed.page_count


def test_bench_corpus_is_reused_from_the_cache_and_is_byte_identical(small_corpus, tmp_path):
    again = build_corpus(4, seed=11, cache_dir=small_corpus.folder.parent)
    assert again.seconds == 0.0
    assert again.files == small_corpus.files
    fresh = build_corpus(1, seed=11, cache_dir=tmp_path, workers=1)
    assert fresh.files[0].read_bytes() == small_corpus.files[0].read_bytes()


@pytest.mark.slow
def test_the_big_pdf_has_at_least_the_pages_asked_for(tmp_path):
    # The memory target is for a 1,000-page PDF: an estimate of characters a page once
    # gave 924.
    path, pages = build_big_pdf(100, cache_dir=tmp_path)
    with pymupdf.open(path) as pdf:
        assert pdf.page_count == pages >= 100
    assert build_big_pdf(100, cache_dir=tmp_path) == (path, pages)
