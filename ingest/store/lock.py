"""One writer at a time per index folder: an ingest, an entity edit, a check, an upload.

The lock is a POSIX record lock (`lockf`) on `ingest.store.lock`, which the kernel releases
when its holder dies however it dies, so a killed writer never leaves a lock that
blocks the next one; unlike `flock`, it is not shared with the worker processes an
ingest forks, so a worker outliving its parent cannot hold it.  The holder writes its
pid and what it is doing into the file, for the message the next writer shows while it
waits; a pid still there when the lock is taken is that of a writer that was killed.

A writer that finds the lock held waits for it (saying so through `on_wait`), so an
entity edit during an ingest runs after it instead of failing half-way; only a thread
asking again for a lock it already holds is refused (it would wait for ever).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from ingest.errors import FolderNotWritable, IngestRunning

LOCK_FILE = "ingest.store.lock"

#: The locks this process holds: path -> (thread ident, what it is doing).  POSIX locks
#: do not exclude the process that holds them (the app runs uploads from several
#: threads), and closing any handle on the file would drop the lock, so threads of one
#: process wait for each other here, before the file is opened.
_held: dict[Path, tuple[int, str]] = {}
_released = threading.Condition()


class IngestLock:
    """`with IngestLock(index_dir, purpose="ingest", on_wait=print) as lock:` waits until
    no other writer holds the index folder; `on_wait` hears once why it waits."""

    def __init__(
        self,
        index_dir: Path,
        *,
        purpose: str = "ingest",
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(index_dir) / LOCK_FILE
        self.purpose = purpose
        self.on_wait = on_wait
        self.handle: IO[str] | None = None
        #: The pid and purpose of a killed writer whose lock file this one took over.
        self.recovered_from: int | None = None
        self.recovered_purpose = "ingest"

    def __enter__(self) -> IngestLock:
        key = self.path.resolve()
        me = threading.get_ident()
        with _released:
            holder = _held.get(key)
            if holder is not None and holder[0] == me:
                raise IngestRunning(
                    f"this {holder[1]} already holds {self.path.parent}: "
                    f"the {self.purpose} cannot run inside it"
                )
            if holder is not None:
                self.waiting(os.getpid(), holder[1])
            while key in _held:
                _released.wait()
            _held[key] = (me, self.purpose)
        try:
            self.acquire()
        except BaseException:
            self.forget(key)
            raise
        return self

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.path, "a+")  # noqa: SIM115 (held until __exit__)
        except OSError as error:
            raise FolderNotWritable(
                f"cannot write to the index folder {self.path.parent} "
                f"({error.strerror or error}): the {self.purpose} needs a folder it can "
                "write to; searching and listing work without one"
            ) from error
        try:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                pid, _, purpose = handle.read().strip().partition(" ")
                self.waiting(pid or "unknown", purpose or "ingest")
                fcntl.lockf(handle, fcntl.LOCK_EX)
            handle.seek(0)
            previous, _, purpose = handle.read().strip().partition(" ")
            if previous.isdigit() and int(previous) != os.getpid():
                self.recovered_from = int(previous)
                self.recovered_purpose = purpose or "ingest"
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()} {self.purpose}")
            handle.flush()
        except BaseException:
            handle.close()
            raise
        self.handle = handle

    def waiting(self, pid: object, purpose: str) -> None:
        if self.on_wait is not None:
            self.on_wait(f"waiting for the {purpose} (pid {pid}) on {self.path.parent} to finish…")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.handle is None:
            return
        try:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.flush()
            fcntl.lockf(self.handle, fcntl.LOCK_UN)
        finally:
            self.handle.close()
            self.handle = None
            self.forget(self.path.resolve())

    @staticmethod
    def forget(key: Path) -> None:
        with _released:
            _held.pop(key, None)
            _released.notify_all()


def writer_running(index_dir: Path) -> bool:
    """Whether a writer holds the index folder now: a run that never finished is running
    only while its lock is held; otherwise it was killed.  Takes and drops a shared lock,
    which needs only read access, so a read-only folder answers too."""
    path = Path(index_dir) / LOCK_FILE
    with _released:
        if path.resolve() in _held:
            return True
        # Inside the guard: no thread of this process takes the lock while the probe's
        # handle is open, since closing it drops every lock this process has on the file.
        try:
            handle = open(path)  # noqa: SIM115 (closed below, after the probe)
        except OSError:
            return False
        try:
            fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            handle.close()
        return False
