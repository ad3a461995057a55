"""What the home page reads on an app process's first run, kept in the index folder
(`ingest.answers.kept`), on the real sample index: the coverage and the whole index's
facet counts a new process reads back are what reading them afresh gives, and once an
ingest writes the catalog and the index, what was kept is no longer read."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.answers.coverage import coverage, coverage_json, read_coverage
from ingest.answers.kept import catalog_state, kept_path
from ingest.answers.queries import named_counts, open_index, run_facets
from ingest.pipeline.ingest import ingest_paths

# Prints the home page's reads in a process of its own, as a new app process makes them.
HOME_READS = """
import dataclasses, json, sys
from pathlib import Path
from ingest.answers.coverage import coverage, coverage_json
from ingest.answers.queries import run_facets
index = Path(sys.argv[1])
held = coverage_json(coverage(index))
print(json.dumps({"coverage": sorted(map(tuple, held["held"]), key=str),
                  "districts": held["districts"],
                  "counts": dataclasses.asdict(run_facets(index, documents=True))}))
"""


@pytest.fixture
def copied(corpus_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(corpus_index, target)
    for kept in target.glob("csp-app-*.json"):
        kept.unlink()
    return target


def home_reads(index: Path) -> dict:
    """What a new process's home page reads, as JSON."""
    printed = subprocess.run(
        [sys.executable, "-c", HOME_READS, str(index)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(printed)


def afresh(index: Path) -> dict:
    """The same, read from the catalog and the index in this process."""
    held = coverage_json(read_coverage(index))
    search = open_index(index)
    counts = named_counts(index, search, search.facet_counts(None, None, True))
    return json.loads(
        json.dumps(
            {
                "coverage": sorted(map(tuple, held["held"]), key=str),
                "districts": held["districts"],
                "counts": dataclasses.asdict(counts),
            }
        )
    )


def test_a_new_process_reads_back_what_the_first_kept(copied: Path) -> None:
    first = home_reads(copied)  # reads afresh and keeps
    assert kept_path(copied, "coverage").exists()
    assert kept_path(copied, "counts-documents").exists()
    assert first == afresh(copied)
    assert home_reads(copied) == first  # read back


def test_what_was_kept_is_not_read_once_an_ingest_writes(copied: Path, tmp_path: Path) -> None:
    before = home_reads(copied)
    state = catalog_state(copied)
    added = tmp_path / "added" / "maldon-csp-annual-report-2019-20.txt"
    added.parent.mkdir()
    added.write_text(
        "Maldon Community Safety Partnership\nAnnual Report 2019-20\n\n"
        "Operation Quillfeather brought the domestic abuse outreach workers of the "
        "partnership into every ward of the district.\n"
    )
    assert not ingest_paths([added], copied).failed
    assert catalog_state(copied) != state
    after = home_reads(copied)
    assert after != before
    assert after == afresh(copied)
    held = coverage(copied)
    assert held.documents() == read_coverage(copied).documents()
    assert run_facets(copied, documents=True).doc_types == after["counts"]["doc_types"]


def test_a_kept_file_is_read_back_only_while_the_names_data_holds(copied: Path) -> None:
    home_reads(copied)
    path = kept_path(copied, "coverage")
    kept = json.loads(path.read_text())
    kept["value"]["districts"] = ["Sentinel"]
    path.write_text(json.dumps(kept))
    assert home_reads(copied)["districts"] == ["Sentinel"]  # the file, not a fresh read
    # As an upgrade whose gazetteer or themes name areas otherwise would leave it.
    kept["naming"] = [["gazetteer-of-an-older-version.json", 1, 1]]
    path.write_text(json.dumps(kept))
    assert home_reads(copied)["districts"] == afresh(copied)["districts"]
