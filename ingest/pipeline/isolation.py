"""Isolated, bounded work: each task runs in a worker process that can be killed.

Council websites serve PDFs that hang, exhaust memory or crash the native PDF library.
A task that runs past its time limit, or a worker that dies, ends that worker only: the
task is reported with a one-line reason ("timed out after 120 s on page 37", "crashed
(SIGSEGV) on page 3") and a fresh worker takes the next task.

Workers are long-lived, so the entity pipeline is built once per worker, not once per
file; on Linux they are forked from a parent that has already built it.  Each worker
caps its own address space (`max_memory_mb` above what it started with) and retires
when it has grown by half of that, so memory stays flat however many files a batch has.

Tests decide where a worker is when a timeout strikes or a search runs with `Pause`
(`CSP_PAUSE_AT`, `CSP_PAUSE_DIR`), not with files slow enough on this machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from ingest.pipeline.settings import DEFAULT_LIMITS, Limits

Task = TypeVar("Task")
Result = TypeVar("Result")

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
STAGES = ("starting", "reading", "OCR", "analysing")
OCR_SEEN = 1 << 40
PAUSE_AT = "CSP_PAUSE_AT"
PAUSE_DIR = "CSP_PAUSE_DIR"


@dataclass(frozen=True)
class Position:
    """Where a worker was in its task at one moment."""

    stage: str
    page: int
    #: Whether any page of the task had been sent to OCR by then.
    ocr_seen: bool

    @property
    def where(self) -> str:
        """' on page 37', ' during OCR of page 3', ' while analysing the text (after page
        12)' or ''."""
        if self.stage == "reading" and self.page:
            return f" on page {self.page}"
        if self.stage == "OCR" and self.page:
            return f" during OCR of page {self.page}"
        if self.stage == "analysing":
            return " while analysing the text" + (f" (after page {self.page})" if self.page else "")
        return ""


@dataclass(frozen=True)
class Pause:
    """A test seam: where workers stop, so a test decides what happens there.

    `CSP_PAUSE_AT="STAGE"` or `"STAGE:PAGE"` (reading, OCR or analysing) stops each
    worker whose task reaches that stage (on that page) as a file that hangs there
    would, until the task times out.  With `CSP_PAUSE_DIR=FOLDER` too, the worker
    creates `FOLDER/STAGE-PAGE-PID` there and goes on once that file is removed.  Read
    when a worker starts; never set in normal use.
    """

    stage: str
    page: int | None
    folder: Path | None

    @classmethod
    def from_environment(cls) -> Pause | None:
        spec = os.environ.get(PAUSE_AT)
        if not spec:
            return None
        stage, _, page = spec.partition(":")
        if stage not in STAGES[1:] or (page and not page.isdigit()):
            raise ValueError(
                f"{PAUSE_AT}={spec!r}: give STAGE or STAGE:PAGE, STAGE one of {STAGES[1:]}"
            )
        folder = os.environ.get(PAUSE_DIR)
        return cls(stage, int(page) if page else None, Path(folder) if folder else None)

    def hold(self, stage: str, page: int) -> None:
        """Stop here if this is the place: until killed, or until the file is removed."""
        if stage != self.stage or self.page not in (None, page):
            return
        if self.folder is None:
            while True:
                time.sleep(60)
        held = self.folder / f"{stage}-{page}-{os.getpid()}"
        held.touch()
        while held.exists():
            time.sleep(0.01)


class Progress:
    """Where a worker is in its task, shared with the parent without locks or messages,
    so a timeout or crash can say which page it happened on.  Stage, page and whether
    any page was OCR'd share one 64-bit value, written and read in one step, so the
    parent never sees the stage of one moment with the page of another."""

    def __init__(self, context: Any) -> None:
        self._state = context.Value("q", 0, lock=False)
        self._pause = Pause.from_environment()

    def update(self, stage: str, page: int) -> None:
        """Called by the job: `extract_file(on_progress=progress.update)`."""
        ocr_seen = self._state.value & OCR_SEEN or (OCR_SEEN if stage == "OCR" else 0)
        self._state.value = ocr_seen | STAGES.index(stage) << 32 | page
        if self._pause:
            self._pause.hold(stage, page)

    def position(self) -> Position:
        state = self._state.value
        return Position(STAGES[state >> 32 & 0xFF], state & 0xFFFFFFFF, bool(state & OCR_SEEN))

    def reset(self) -> None:
        self._state.value = 0


class TaskFailed(Exception):
    """Raised by a job for an expected failure; its message is the reason as it stands."""


Job = Callable[[Any, Progress], Any]


@dataclass
class Outcome(Generic[Task, Result]):
    task: Task
    result: Result | None
    reason: str | None
    seconds: float
    #: Where the worker was when it timed out or crashed.
    position: Position | None = None


# OCR may take at most this share of a file's time limit, so that a read of the text
# layer alone can still follow in the rest (`ingest.pipeline.ingest.map_extract`).
OCR_SHARE = 2 / 3
# How often the parent looks at workers that may have begun OCR since it last looked.
POLL_S = 1.0


def run_isolated(
    tasks: Iterable[Task],
    job: Callable[[Task, Progress], Result],
    *,
    workers: int = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Outcome[Task, Result]]:
    """Run `job(task, progress)` for every task in worker processes, yielding outcomes
    as they complete.  A job's exception becomes the outcome's reason."""
    pending = list(tasks)
    pending.reverse()  # pop() from the end keeps the given order
    if not pending:
        return
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )

    def start_worker() -> Worker:
        return Worker(context, job, limits)

    pool = keep_busy([], pending, start_worker, workers)
    try:
        while busy := [worker for worker in pool if worker.task is not None]:
            next_deadline = min(worker.deadline for worker in busy)
            wait_s = min(POLL_S, max(0.0, next_deadline - time.monotonic()))
            ready = set(
                wait([handle for worker in busy for handle in worker.handles], timeout=wait_s)
            )
            finished = [
                outcome for worker in busy if (outcome := worker.collect(ready)) is not None
            ]
            # Freed workers get their next tasks before the caller handles these outcomes,
            # so no worker waits while the caller stores a result.
            pool = keep_busy(pool, pending, start_worker, workers)
            yield from finished
    finally:
        for worker in pool:
            worker.stop()


def keep_busy(
    pool: list[Worker], pending: list, start_worker: Callable[[], Worker], workers: int
) -> list[Worker]:
    """The live workers, topped up to `workers`, each idle one given the next task."""
    pool = [worker for worker in pool if worker.alive]
    while pending and len(pool) < workers:
        pool.append(start_worker())
    for worker in pool:
        if worker.task is None and pending:
            worker.give(pending.pop())
    return pool


class Worker:
    """One worker process and the task it is on; the parent's side of the pipe."""

    def __init__(self, context: Any, job: Job, limits: Limits) -> None:
        self.limits = limits
        self.progress = Progress(context)
        self.connection, child_end = context.Pipe()
        self.process = context.Process(
            target=serve, args=(child_end, job, self.progress, limits), daemon=True
        )
        self.process.start()
        child_end.close()
        self.task: Any = None
        self.started = 0.0
        self.deadline = 0.0
        self.alive = True

    @property
    def handles(self) -> list:
        return [self.connection, self.process.sentinel]

    def give(self, task: Any) -> None:
        self.progress.reset()
        self.task = task
        self.started = time.monotonic()
        self.deadline = self.started + self.limits.timeout_s
        # A worker that died already is reported by collect().
        with contextlib.suppress(OSError):
            self.connection.send(task)

    def collect(self, ready: set) -> Outcome | None:
        """The finished task's outcome, if it finished, timed out or crashed."""
        task, seconds = self.task, time.monotonic() - self.started
        if self.connection in ready or self.connection.poll():
            try:
                result, reason, retire = self.connection.recv()
            except (EOFError, OSError):
                return self.lost(task, seconds)
            self.task = None
            if retire:
                self.stop()
            return Outcome(task, result, reason, seconds)
        if self.process.sentinel in ready:
            return self.lost(task, seconds)
        now = time.monotonic()
        position = self.progress.position()
        ocr_limit = OCR_SHARE * self.limits.timeout_s
        if position.ocr_seen and now >= self.started + ocr_limit:
            self.task = None
            self.stop()
            reason = f"OCR timed out after {ocr_limit:.3g} s{position.where}"
            return Outcome(task, None, reason, seconds, position)
        if now >= self.deadline:
            self.task = None
            self.stop()
            reason = f"timed out after {self.limits.timeout_s:g} s{position.where}"
            return Outcome(task, None, reason, seconds, position)
        return None

    def lost(self, task: Any, seconds: float) -> Outcome:
        """The worker died mid-task: say how, and where it was."""
        self.process.join(timeout=5)
        code = self.process.exitcode
        how = (
            f"crashed ({signal.Signals(-code).name})"
            if code is not None and code < 0
            else f"worker exited with code {code}"
        )
        position = self.progress.position()
        self.task = None
        self.stop()
        return Outcome(task, None, how + position.where, seconds, position)

    def stop(self) -> None:
        if not self.alive:
            return
        self.alive = False
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


def serve(connection: Connection, job: Job, progress: Progress, limits: Limits) -> None:
    """The worker's loop: take a task, run it, send back (result, reason, retire)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    faulthandler.disable()  # a crash is reported as the task's reason, not a dump
    die_with_parent()
    start_size = address_space()
    cap_memory(start_size, limits.max_memory_mb)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        retire = False
        reply: tuple[object, str | None]  # (result, None) or (None, the reason it failed)
        try:
            reply = (job(task, progress), None)
        except TaskFailed as error:
            reply = (None, str(error))
        except MemoryError:
            where = progress.position().where
            reply = (None, f"out of memory: over {limits.max_memory_mb} MB{where}")
            retire = True
        except Exception as error:
            reply = (None, f"{type(error).__name__}: {error}".splitlines()[0][:300])
        grown_mb = (address_space() - start_size) / 2**20 if start_size else 0
        retire = retire or grown_mb > limits.max_memory_mb / 2
        try:
            connection.send((*reply, retire))
        except MemoryError:
            connection.send((None, f"out of memory: over {limits.max_memory_mb} MB", True))
            return
        if retire:
            return


def die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the ingest that started it dies
    (even by SIGKILL), instead of it finishing a file nobody will store."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def address_space() -> int:
    """This process's virtual size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def cap_memory(start_size: int, max_memory_mb: int) -> None:
    """Let the address space grow by at most `max_memory_mb`: an allocation beyond it
    fails (MemoryError, or a MuPDF error) instead of taking the machine down."""
    if not start_size:
        return
    limit = start_size + max_memory_mb * 2**20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
