"""Writers take turns and the catalog stays the source of truth (#19): an entity edit
during an ingest waits for it, and catalog and index agree after both."""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from bench.crash import CSP
from ingest.nlp.linking import ENTITIES_DIR
from ingest.search.registry import open_backend
from ingest.search.whoosh.index import canonical_names
from ingest.store.store import open_catalog

from pausing import held_workers, pause_env, with_env
from samples import BRAINTREE_2022, BRENTWOOD_PLAN, sample

MERGE = [CSP, "entities", "merge", "Spot It Stop It", "Operation Henderson"]


@pytest.fixture
def entities_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose entity edits change a copy of models/entities."""
    shutil.copytree(ENTITIES_DIR, tmp_path / "entities")
    return {"CSP_ENTITIES_DIR": str(tmp_path / "entities")}


def csp(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CSP, *args], capture_output=True, text=True, env=with_env(env or {}), timeout=600
    )


def lines_of(stream) -> queue.Queue:
    """The lines of a process's stream, read as they come, so a test can wait for one."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def first_line_with(lines: queue.Queue, text: str) -> str:
    while (line := lines.get(timeout=300)) is not None:
        if text in line:
            return line
    raise AssertionError(f"the process ended without printing {text!r}")


def entity_tags(index: Path) -> tuple[dict, dict]:
    """Each section's initiatives and partners as the catalog has them and as the
    index has them."""
    catalog = open_catalog(index)
    try:
        in_catalog = {
            section.section_id: (
                canonical_names(section, "INITIATIVE"),
                canonical_names(section, "PARTNER"),
            )
            for document in catalog.documents(with_sections=True)
            for section in document.sections
        }
    finally:
        catalog.close()
    backend = open_backend(index, create=False)
    try:
        in_index = {
            fields["section_id"]: (
                sorted(filter(None, fields.get("initiatives", "").split("\n"))),
                sorted(filter(None, fields.get("partners", "").split("\n"))),
            )
            for fields in backend.searcher().all_stored_fields()
        }
    finally:
        backend.close()
    return in_catalog, in_index


def spellings_of(index: Path, canonical: str) -> set[str]:
    catalog = open_catalog(index)
    try:
        rows = catalog.connection.execute(
            "SELECT text FROM mentions WHERE canonical = ?", (canonical,)
        ).fetchall()
    finally:
        catalog.close()
    return {row["text"] for row in rows}


@pytest.mark.e2e
def test_an_entity_merge_during_an_ingest_waits_and_both_finish_in_agreement(
    tmp_path: Path, entities_env: dict[str, str]
) -> None:
    index = tmp_path / "index"
    held = tmp_path / "held"
    # The first file is stored (its index batch left open), the second is held before
    # analysing while the merge is started.
    ingest = subprocess.Popen(
        [
            CSP,
            "ingest",
            str(sample(BRAINTREE_2022, "text")),
            str(sample(BRENTWOOD_PLAN, "text")),
            "--index",
            str(index),
        ],
        env=with_env({**entities_env, **pause_env("analysing", held)}),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    merge = None
    waiting = ""
    try:
        for position, _ in enumerate(held_workers(held, ingest)):
            if position == 1:
                merge = subprocess.Popen(
                    [*MERGE, "--index", str(index)],
                    env=with_env(entities_env),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                waiting = first_line_with(lines_of(merge.stderr), "waiting for")
                # Nothing re-linked while the ingest holds the folder.
                assert "Operation Henderson" not in spellings_of(index, "Spot It Stop It")
        ingest_out, ingest_err = ingest.communicate(timeout=600)
    finally:
        if ingest.poll() is None:
            ingest.kill()
    assert merge is not None
    merge_out = merge.communicate(timeout=600)[0]

    assert waiting.strip() == f"waiting for the ingest (pid {ingest.pid}) on {index} to finish…"
    assert ingest.returncode == 0, ingest_err
    assert "2 ingested" in ingest_out
    assert merge.returncode == 0
    assert "re-linked" in merge_out
    assert "Operation Henderson" in spellings_of(index, "Spot It Stop It")
    checked = csp("check", "--index", str(index))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "catalog and index agree" in checked.stdout
    in_catalog, in_index = entity_tags(index)
    assert in_index == in_catalog
    assert any("Spot It Stop It" in initiatives for initiatives, _ in in_index.values())
