"""Isolated, bounded work: hangs, crashes and memory blow-ups end one worker, not the batch."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from ingest.pipeline.isolation import Limits, Progress, TaskFailed, run_isolated


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
    if task == "ocr, then read":
        progress.update("OCR", 2)
        progress.update("reading", 3)
        time.sleep(60)
    page = 1
    while True:
        progress.update("OCR", page)
        progress.update("reading", page + 1)
        page += 1


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
        assert outcome.reason == f"timed out after 0.5 s {expected} {position.page}"
    assert flipping


def test_a_timeout_after_ocr_began_says_so_on_any_later_page() -> None:
    [outcome] = run_isolated(["ocr, then read"], flip_pages, limits=Limits(timeout_s=1))
    assert outcome.reason == "timed out after 1 s on page 3"
    assert outcome.position.ocr_seen and outcome.position.stage == "reading"
    [outcome] = run_isolated(["hang"], behave, limits=Limits(timeout_s=1))
    assert not outcome.position.ocr_seen
