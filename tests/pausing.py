"""Workers held at a stage of their task (`ingest.pipeline.isolation.Pause`), so a test
decides what happens while they wait instead of hoping the machine is slow enough."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def pause_env(stage: str, folder: Path | None = None) -> dict[str, str]:
    """The environment that holds each worker at `stage` ("OCR:2", "analysing"): until
    its timeout, or, with `folder`, until `held_workers` lets it go."""
    env = {"CSP_PAUSE_AT": stage}
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        env["CSP_PAUSE_DIR"] = str(folder)
    return env


def held_workers(folder: Path, process: subprocess.Popen, wait_s: float = 300) -> Iterator[Path]:
    """Each time a worker of `process` is held in `folder`: its file, yielded while it
    waits, then removed so it goes on.  Ends when `process` exits; `wait_s` only guards
    against a run that neither pauses nor ends."""
    deadline = time.monotonic() + wait_s
    while True:
        held = sorted(folder.iterdir())
        if held:
            yield held[0]
            held[0].unlink(missing_ok=True)
            deadline = time.monotonic() + wait_s
        elif process.poll() is not None:
            return
        elif time.monotonic() > deadline:
            raise AssertionError(f"no worker paused in {wait_s} s and the process still runs")
        else:
            time.sleep(0.02)


def with_env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}
