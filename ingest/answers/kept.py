"""What the app's home page reads on its first run, kept in the index folder between
processes: the catalog's coverage and the search index's whole-index facet counts.

At 100,000 sections they take about 1.5 s to read (the coverage's query over every
section's attribution, the counts over every section), and an app process starts with
neither: each is written to a small JSON file the first time it is read, with the state
of the catalog and index it was read from, and read back while that state holds.  A file
that cannot be written (a read-only folder) only costs the next process the read.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.paths import MODELS_DIR
from ingest.store.store import CATALOG_FILE

# Bump when what a kept file holds, or how it is read, changes.
KEPT_VERSION = 1


def kept_path(index_dir: Path, name: str) -> Path:
    return Path(index_dir) / f"csp-app-{name}.json"


def catalog_state(index_dir: Path) -> list:
    """What changes whenever the catalog is written: the size and time of its file and
    of its write-ahead log."""
    state: list[list[int] | None] = []
    for path in (Path(index_dir) / CATALOG_FILE, Path(index_dir) / f"{CATALOG_FILE}-wal"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            state.append(None)
            continue
        state.append([stat.st_mtime_ns, stat.st_size])
    return state


@lru_cache(maxsize=1)
def naming_state() -> list:
    """What changes when an upgrade renames areas or themes: the files of the gazetteer and
    the themes (a kept file holds names as those data gave them)."""
    return [
        [path.name, stat.st_size, stat.st_mtime_ns]
        for folder in ("gazetteer", "themes")
        for path in sorted((MODELS_DIR / folder).rglob("*"))
        if path.is_file() and (stat := path.stat())
    ]


def read_kept(index_dir: Path, name: str, state: list) -> Any | None:
    """The value kept as `name` when the catalog and index were in `state`, or None."""
    try:
        kept = json.loads(kept_path(index_dir, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        kept.get("version") != KEPT_VERSION
        or kept.get("naming") != naming_state()
        or kept.get("state") != state
    ):
        return None
    return kept.get("value")


def write_kept(index_dir: Path, name: str, state: list, value: Any) -> None:
    """Keep `value` (JSON) as `name` for `state`; written whole or not at all."""
    path = kept_path(index_dir, name)
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        scratch.write_text(
            json.dumps(
                {"version": KEPT_VERSION, "naming": naming_state(), "state": state, "value": value}
            ),
            encoding="utf-8",
        )
        scratch.replace(path)
    except OSError:
        scratch.unlink(missing_ok=True)
