"""One ingest at a time per index folder.

The lock is a POSIX record lock (`lockf`) on `ingest.store.lock`, which the kernel releases
when its holder dies however it dies, so a killed ingest never leaves a lock that
blocks the next one; unlike `flock`, it is not shared with the worker processes the
ingest forks, so a worker outliving its parent cannot hold it.  The holder's pid is
written into the file for the message a second ingest gets; a pid still there when the
lock is taken is that of an ingest that was killed.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from ingest.errors import IngestRunning

LOCK_FILE = "ingest.store.lock"

_held: set[Path] = set()
_held_guard = threading.Lock()


class IngestLock:
    """`with IngestLock(index_dir) as lock:`; raises IngestRunning if it is held."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / LOCK_FILE
        self.handle: IO[str] | None = None
        #: The pid of a killed ingest whose lock file this one took over, if any.
        self.recovered_from: int | None = None

    def __enter__(self) -> IngestLock:
        key = self.path.resolve()
        # POSIX locks do not exclude the process that holds them (the app runs uploads
        # from several threads), and closing any handle on the file would drop the lock:
        # so this process's own holds are tracked here, before the file is opened.
        with _held_guard:
            if key in _held:
                raise running(os.getpid(), self.path.parent)
            _held.add(key)
        try:
            self.acquire()
        except BaseException:
            with _held_guard:
                _held.discard(key)
            raise
        return self

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held until __exit__)
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise running(holder, self.path.parent) from None
        handle.seek(0)
        previous = handle.read().strip()
        if previous.isdigit() and int(previous) != os.getpid():
            self.recovered_from = int(previous)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.handle is None:
            return
        self.handle.seek(0)
        self.handle.truncate()
        self.handle.flush()
        fcntl.lockf(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        self.handle = None
        with _held_guard:
            _held.discard(self.path.resolve())


def running(holder: object, index_dir: Path) -> IngestRunning:
    return IngestRunning(
        f"another ingest is running (pid {holder}) on {index_dir}: "
        "wait for it to finish, then try again"
    )
