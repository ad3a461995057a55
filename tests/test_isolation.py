"""Isolated, bounded work: hangs, crashes and memory blow-ups end one worker, not the batch."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline.isolation import (
    Limits,
    Pause,
    Position,
    Progress,
    TaskFailed,
    run_isolated,
)

from pausing import pause_env


def behave(task: str, progress: Progress) -> str:
    """A job that does what its task says, on 'page' 7."""
    progress.update("reading", 7)
    if task == "hang":
        time.sleep(60)
    if task == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "exit":
        os._exit(3)
    if task == "hog":
        hoard = []
        while True:
            hoard.append(bytearray(16 * 2**20))
    if task == "refuse":
        raise TaskFailed("encrypted: password required")
    if task == "bug":
        raise KeyError("nope")
    return f"done {task} in {os.getpid()}"


def outcomes(tasks: list[str], **options) -> dict[str, tuple[str | None, str | None]]:
    return {
        outcome.task: (outcome.result, outcome.reason)
        for outcome in run_isolated(tasks, behave, **options)
    }


@pytest.mark.slow
def test_a_hang_times_out_with_its_page_and_the_rest_go_on() -> None:
    started = time.monotonic()
    found = outcomes(["a", "hang", "b"], workers=1, limits=Limits(timeout_s=2))
    assert found["hang"] == (None, "timed out after 2 s on page 7")
    assert found["a"][0].startswith("done a") and found["b"][0].startswith("done b")
    assert time.monotonic() - started < 30


def test_a_native_crash_is_named_and_the_worker_replaced() -> None:
    found = outcomes(["a", "segfault", "exit", "b"], workers=2)
    assert found["segfault"] == (None, "crashed (SIGSEGV) on page 7")
    assert found["exit"] == (None, "worker exited with code 3 on page 7")
    assert found["a"][1] is None and found["b"][1] is None


def test_memory_beyond_the_limit_fails_that_task_only() -> None:
    found = outcomes(["hog", "a"], workers=1, limits=Limits(max_memory_mb=256))
    result, reason = found["hog"]
    assert result is None
    assert reason.startswith("out of memory: over 256 MB"), reason
    assert found["a"][0].startswith("done a")


def test_expected_and_unexpected_errors_become_reasons() -> None:
    found = outcomes(["refuse", "bug"])
    assert found["refuse"] == (None, "encrypted: password required")
    assert found["bug"] == (None, "KeyError: 'nope'")


def test_workers_are_reused_across_tasks() -> None:
    found = outcomes([str(number) for number in range(6)], workers=2)
    pids = {result.rsplit(" ", 1)[1] for result, _ in found.values()}
    assert len(found) == 6
    assert len(pids) <= 2


def mark_started(task: str, progress: Progress) -> str:
    Path(task).touch()
    return task


def test_a_worker_starts_its_next_task_while_the_caller_handles_a_result(
    tmp_path: Path,
) -> None:
    # An ingest stores each result in the caller: a worker waiting for that would leave
    # its core idle for the writer's whole share of the work.
    first, second = tmp_path / "first", tmp_path / "second"
    results = run_isolated([str(first), str(second)], mark_started, workers=1)
    assert next(results).task == str(first)
    deadline = time.monotonic() + 30
    while not second.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert second.exists(), "the second task did not start before the first was handled"
    assert [outcome.task for outcome in results] == [str(second)]


def flip_pages(task: str, progress: Progress) -> None:
    """A job that OCRs page n and reads page n + 1, over and over, until it is killed."""
    page = 1
    while True:
        progress.update("OCR", page)
        progress.update("reading", page + 1)
        page += 1


@pytest.mark.slow
def test_a_timeout_names_the_stage_and_page_of_one_moment() -> None:
    # The stage and page were read one after the other while the worker ran on, so a
    # timeout could be counted as during OCR yet reported "on page 3".
    flipping = 0
    for outcome in run_isolated(["flip"] * 12, flip_pages, limits=Limits(timeout_s=0.5)):
        position = outcome.position
        if position.stage == "starting":
            continue  # a loaded machine may not have started the job in time
        flipping += 1
        expected = "during OCR of page" if position.stage == "OCR" else "on page"
        # OCR began on the first page, so its share of the limit ran out first.
        assert outcome.reason == f"OCR timed out after 0.333 s {expected} {position.page}"
    assert flipping


def hang_after(task: str, progress: Progress) -> None:
    """A job that goes through the stages and pages its task lists ("OCR 2, reading 3"),
    then hangs there until it is killed."""
    for step in task.split(", "):
        stage, page = step.split()
        progress.update(stage, int(page))
    time.sleep(60)


@pytest.mark.slow
def test_a_timeout_after_ocr_began_says_so_on_any_later_page() -> None:
    # The jobs hang where their tasks say: the limit only has to be longer than a
    # worker takes to start.
    found = {
        outcome.task: outcome
        for outcome in run_isolated(
            ["OCR 2, reading 3", "reading 7"], hang_after, workers=2, limits=Limits(timeout_s=3)
        )
    }
    after_ocr, without = found["OCR 2, reading 3"], found["reading 7"]
    # OCR may take two thirds of a file's time, so a text-only read can follow.
    assert after_ocr.reason == "OCR timed out after 2 s on page 3"
    assert after_ocr.position == Position("reading", 3, ocr_seen=True)
    assert without.reason == "timed out after 3 s on page 7"
    assert without.position == Position("reading", 7, ocr_seen=False)


def test_a_paused_worker_waits_at_its_stage_until_let_go(tmp_path: Path, monkeypatch) -> None:
    held = tmp_path / "held"
    for name, value in pause_env("reading:7", held).items():
        monkeypatch.setenv(name, value)
    done: list = []
    thread = threading.Thread(target=lambda: done.extend(run_isolated(["a"], behave)))
    thread.start()
    deadline = time.monotonic() + 60
    while not any(held.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.01)
    [paused] = held.iterdir()
    assert paused.name.startswith("reading-7-")
    assert not done  # held until its file is removed
    paused.unlink()
    thread.join(timeout=60)
    assert [outcome.result.split(" in ")[0] for outcome in done] == ["done a"]


@pytest.mark.parametrize("spec", ["parsing", "starting", "OCR:two", "reading:"])
def test_a_pause_names_a_stage_and_perhaps_a_page(spec: str, monkeypatch) -> None:
    monkeypatch.setenv("CSP_PAUSE_AT", spec)
    if spec == "reading:":
        assert Pause.from_environment() == Pause("reading", None, None)
        return
    with pytest.raises(ValueError, match="give STAGE or STAGE:PAGE"):
        Pause.from_environment()
