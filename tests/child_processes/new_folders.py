"""New index folders built with the engine the tests chose (`--backend`): in the test
process (`conftest.py`) and in every Python process it starts (`sitecustomize.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.search import registry
from ingest.store import store

#: The engine chosen, named to the processes the tests start (and `--backend`'s default).
ENGINE_VARIABLE = "CSP_TEST_BACKEND"
#: This folder: on a started process's PYTHONPATH, its `sitecustomize` runs first.
FOLDER = Path(__file__).resolve().parent


def build_new_folders_with(name: str) -> Callable[[], None]:
    """From now on, an index folder that names no engine and holds no engine's index is
    recorded as `name`'s the first time it is opened, unless this process chose the
    default engine for it by name (which, as ever, leaves no file naming it).  Returns
    what undoes it."""
    recorded, record = registry.recorded_backend, registry.record_backend
    default_by_name: set[Path] = set()

    def recorded_or_chosen(index_dir: Path) -> str:
        # Imported here: a process that opens no index loads no engine.
        from ingest.search.tantivy.index import TANTIVY_DIR
        from ingest.search.whoosh.index import WHOOSH_DIR

        folder = Path(index_dir)
        if (
            folder.resolve() not in default_by_name
            and not (folder / registry.BACKEND_FILE).exists()
            and not any((folder / engine_dir).exists() for engine_dir in (WHOOSH_DIR, TANTIVY_DIR))
        ):
            record(folder, name)
        return recorded(folder)

    def record_named(index_dir: Path, engine: str) -> None:
        record(index_dir, engine)
        if engine == registry.DEFAULT_BACKEND:
            default_by_name.add(Path(index_dir).resolve())
        else:
            default_by_name.discard(Path(index_dir).resolve())

    originals = [
        (module, module.recorded_backend, module.record_backend) for module in (registry, store)
    ]
    for module in (registry, store):
        module.recorded_backend = recorded_or_chosen
        module.record_backend = record_named

    def undo() -> None:
        for module, recorded_backend, record_backend in originals:
            module.recorded_backend = recorded_backend
            module.record_backend = record_backend

    return undo
