"""Killing `csp ingest` at any moment loses nothing: the next run repairs and resumes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.crash import CSP, ingest_command, make_corpus, measure
from ingest.answers.queries import run_search
from ingest.errors import IngestRunning
from ingest.pipeline.ingest import ingest_paths
from ingest.search.registry import open_backend
from ingest.store.check import check_index
from ingest.store.lock import IngestLock

from pausing import held_workers, pause_env, with_env
from samples import BRENTWOOD_PLAN, sample


@pytest.mark.e2e
def test_ingest_killed_at_random_moments_ends_as_an_uninterrupted_one(backend_name: str) -> None:
    result = measure(files=20, kills=4, seed=11, workers=2, backend=backend_name)
    assert result["killed_rounds"] >= 3, result["rounds"]
    assert result["final_exit_code"] == 0
    assert result["check"]["agree"], result["check"]
    assert result["same_documents_as_uninterrupted"]


@pytest.mark.e2e
def test_check_finds_and_repair_mends_an_index_that_disagrees(
    tmp_path: Path, backend_name: str
) -> None:
    index = tmp_path / "index"
    ingest_paths([sample(BRENTWOOD_PLAN, "pdf")], index, backend=backend_name)
    search_index = open_backend(index)
    doc_id = next(iter(search_index.doc_ids()))
    search_index.delete_documents([doc_id])
    search_index.close()

    report, _ = check_index(index)
    assert report.missing == [doc_id]

    cli = subprocess.run([CSP, "check", "--index", str(index)], capture_output=True, text=True)
    assert cli.returncode == 1
    assert f"missing from the index: {doc_id}" in cli.stdout

    repaired = subprocess.run(
        [CSP, "check", "--repair", "--index", str(index)], capture_output=True, text=True
    )
    assert repaired.returncode == 0, repaired.stdout
    assert "repaired: catalog and index agree" in repaired.stdout
    assert run_search(index, '"Protecting People from Harm"')


@pytest.mark.e2e
def test_a_second_ingest_waits_naming_the_one_running_then_runs(tmp_path: Path) -> None:
    index = tmp_path / "index"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        second = subprocess.Popen(
            [CSP, "ingest", str(sample(BRENTWOOD_PLAN, "text")), "--index", str(index)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        waiting = second.stderr.readline()
        assert waiting.strip() == (
            f"waiting for the ingest (pid {holder.pid}) on {index} to finish…"
        )
        assert second.poll() is None
        holder.stdin.close()  # the holder lets go
        out, _ = second.communicate(timeout=300)
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 0
    assert "1 ingested" in out


@pytest.mark.e2e
def test_a_lock_left_by_a_killed_ingest_is_recovered_with_a_message(tmp_path: Path) -> None:
    index = tmp_path / "index"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(index)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()

    report = ingest_paths([sample(BRENTWOOD_PLAN, "text")], index)

    assert report.counts == {"ingested": 1}
    assert report.notices[0] == (
        f"an earlier ingest (pid {holder.pid}) stopped without finishing: its lock was released"
    )


def test_an_ingest_inside_an_ingest_of_one_thread_is_refused_not_waited_for(
    tmp_path: Path,
) -> None:
    with IngestLock(tmp_path), pytest.raises(IngestRunning, match="already holds"):
        ingest_paths([sample(BRENTWOOD_PLAN, "text")], tmp_path)


@pytest.mark.e2e
def test_searches_during_an_ingest_answer_from_what_is_committed(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest_paths([sample(BRENTWOOD_PLAN, "text")], index)
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 4)
    held = tmp_path / "held"
    # Each file's worker waits before analysing its text while a search runs, so the
    # searches come while the ingest is storing and committing, however fast it is.
    running = subprocess.Popen(
        [*ingest_command(corpus, index, workers=1), "--silent"],
        env=with_env(pause_env("analysing", held)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    counts = []
    try:
        for _ in held_workers(held, running):
            assert running.poll() is None
            counts.append(search_count(index))
    finally:
        running.wait(timeout=300)
    assert running.returncode == 0
    assert len(counts) == 4
    assert counts == sorted(counts), "a search saw fewer results than one before it"
    assert counts[0] < search_count(index)


def search_count(index: Path) -> int:
    cli = subprocess.run(
        [CSP, "search", "partnership", "--index", str(index), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    return json.loads(cli.stdout)["total_passages"]


# Holds the lock until its stdin is closed (or it is killed).
HOLD_LOCK = """
import sys
from pathlib import Path
from ingest.store.lock import IngestLock
with IngestLock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""
