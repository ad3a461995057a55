"""Nothing reported "ok" while data is missing (#19): writers take turns, the catalog
stays the source of truth through failed commits and kills, and a damaged catalog or
index is named in one line with the command that mends it.  Every case runs on a real
index built from corpus files, in real processes where a process dies."""

from __future__ import annotations

import os
import queue
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

import pytest

from bench.crash import CSP
from ingest.nlp.linking import ENTITIES_DIR
from ingest.pipeline.ingest import ingest_paths
from ingest.search.backend import SearchFilters
from ingest.search.registry import open_backend, recorded_backend
from ingest.search.whoosh.index import canonical_names
from ingest.store.catalog import CATALOG_VERSION
from ingest.store.store import CATALOG_FILE, open_catalog

from pausing import held_workers, pause_env, with_env
from samples import BRAINTREE_2022, BRENTWOOD_PLAN, SAFER_ESSEX, sample

# Every case runs `csp` commands in their own processes.
pytestmark = pytest.mark.e2e

MERGE = [CSP, "entities", "merge", "Spot It Stop It", "Operation Henderson"]
#: The entity labels whose canonical names the index holds, and their facets.
ENTITY_FACETS = {"INITIATIVE": "initiatives", "PARTNER": "partners"}


@pytest.fixture(scope="module")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of one plan, built once; tests damage copies of it."""
    index = tmp_path_factory.mktemp("built") / "index"
    report = ingest_paths([sample(BRENTWOOD_PLAN, "text")], index)
    assert report.counts == {"ingested": 1}
    return index


@pytest.fixture
def index(built_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(built_index, copy)
    return copy


@pytest.fixture(scope="module")
def engine_built_index(tmp_path_factory: pytest.TempPathFactory, backend_name: str) -> Path:
    """The index of one plan on each search engine, built once."""
    index = tmp_path_factory.mktemp(f"built-{backend_name}") / "index"
    report = ingest_paths([sample(BRENTWOOD_PLAN, "text")], index, backend=backend_name)
    assert report.counts == {"ingested": 1}
    return index


@pytest.fixture
def engine_index(engine_built_index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(engine_built_index, copy)
    return copy


#: The file of its one segment each engine's damage tests break: the one a search reads.
SEGMENT_FILES = {"whoosh": "*.seg", "tantivy": "*.store"}


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
    """The sections of each initiative and partner (by facet and name, as the index
    compares names) as the catalog has them and as the index finds them: what the
    search page's filter on that name lists."""
    in_catalog: dict[tuple[str, str], set[str]] = defaultdict(set)
    catalog = open_catalog(index)
    try:
        for document in catalog.documents(with_sections=True):
            for section in document.sections:
                for label, facet in ENTITY_FACETS.items():
                    for name in canonical_names(section, label):
                        in_catalog[facet, " ".join(name.lower().split())].add(section.section_id)
    finally:
        catalog.close()
    backend = open_backend(index, create=False)
    try:
        everything = backend.facet_counts()
        in_index = {
            (facet, name): {
                hit.section_id
                for hit in backend.search(
                    "", SearchFilters(**{facet: [name]}), limit=backend.section_count()
                )
            }
            for facet in ENTITY_FACETS.values()
            for name in getattr(everything, facet)
        }
    finally:
        backend.close()
    return dict(in_catalog), in_index


def spellings_of(index: Path, canonical: str) -> set[str]:
    catalog = open_catalog(index)
    try:
        rows = catalog.connection.execute(
            "SELECT text FROM mentions WHERE canonical = ?", (canonical,)
        ).fetchall()
    finally:
        catalog.close()
    return {row["text"] for row in rows}


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
    assert ("initiatives", "spot it stop it") in in_index


def doc_ids_in_catalog(index: Path) -> set[str]:
    catalog = open_catalog(index)
    try:
        return {document.doc_id for document in catalog.documents(with_sections=False)}
    finally:
        catalog.close()


def doc_ids_in_index(index: Path) -> set[str]:
    backend = open_backend(index, create=False)
    try:
        return backend.doc_ids()
    finally:
        backend.close()


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The stderr of a command that failed as it should: one line, no traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    return line


def test_a_catalog_commit_that_fails_leaves_the_index_without_the_file(index: Path) -> None:
    # A deferred constraint fails the catalog's COMMIT itself (as a full disk does),
    # after the file's rows were written, only for the Braintree report.
    connection = sqlite3.connect(index / CATALOG_FILE)
    connection.executescript(
        """
        CREATE TABLE tripwire_parent (id TEXT PRIMARY KEY);
        CREATE TABLE tripwire (ref TEXT REFERENCES tripwire_parent(id)
            DEFERRABLE INITIALLY DEFERRED);
        CREATE TRIGGER trip AFTER INSERT ON documents WHEN NEW.source LIKE '%001_%'
        BEGIN INSERT INTO tripwire VALUES ('commit fails'); END;
        """
    )
    connection.close()
    before = doc_ids_in_catalog(index)

    result = csp("ingest", str(sample(BRAINTREE_2022, "text")), "--index", str(index))

    assert one_error_line(result).startswith(
        f"Error: the catalog at {index / CATALOG_FILE} could not be written "
        "(FOREIGN KEY constraint failed); nothing of the change was kept"
    )
    assert doc_ids_in_catalog(index) == before
    assert doc_ids_in_index(index) == before
    assert "catalog and index agree" in csp("check", "--index", str(index)).stdout


def limit_file_size(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


#: The files the file-size limit test ingests into the built index.
LIMITED_INGEST = [sample(BRAINTREE_2022, "text"), sample(SAFER_ESSEX, "text")]


@pytest.fixture(scope="module")
def largest_file(built_index: Path, tmp_path_factory: pytest.TempPathFactory) -> int:
    """The size of the largest file that ingesting LIMITED_INGEST into the built index
    leaves, with no limit: how large the limits must be for the ingest to pass them."""
    index = tmp_path_factory.mktemp("unlimited") / "index"
    shutil.copytree(built_index, index)
    assert ingest_paths(LIMITED_INGEST, index).counts == {"ingested": 2}
    return max(path.stat().st_size for path in index.rglob("*") if path.is_file())


@pytest.mark.parametrize("share", [0.25, 0.6, 0.95])
def test_an_ingest_over_a_file_size_limit_stops_in_one_line_and_nothing_is_lost(
    index: Path, largest_file: int, share: float
) -> None:
    # Whichever write passes the limit first, the catalog's or the index's, the ingest
    # says which in one line and the index never holds what the catalog does not.  The
    # limit is a share of the largest file the ingest leaves, so some write passes it,
    # on any engine.
    files = [str(path) for path in LIMITED_INGEST]
    ingest = subprocess.run(
        [CSP, "ingest", *files, "--index", str(index)],
        capture_output=True,
        text=True,
        preexec_fn=limit_file_size(int(largest_file * share)),
        timeout=600,
    )

    line = one_error_line(ingest)
    catalog_failed = line.startswith(f"Error: the catalog at {index / CATALOG_FILE} could not")
    assert catalog_failed or line == (
        f"Error: the search index at {index / recorded_backend(index)} could not be written "
        "(File too large): the catalog keeps every file stored; free disk space, then run "
        "`csp check --repair`"
    )
    assert doc_ids_in_index(index) <= doc_ids_in_catalog(index)
    repair = csp("check", "--repair", "--index", str(index))
    assert repair.returncode == 0, repair.stdout + repair.stderr
    assert doc_ids_in_index(index) == doc_ids_in_catalog(index)
    again = csp("ingest", *files, "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert len(doc_ids_in_index(index)) == 3
    assert doc_ids_in_index(index) == doc_ids_in_catalog(index)


KILLED_WRITES = "pwrite64,write"
KILL_AT_WRITE = ["strace", "-f", "-o", os.devnull, "-e", f"trace={KILLED_WRITES}", "-e"]


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_a_kill_at_any_write_while_the_catalog_is_created_leaves_none_or_a_whole_one(
    tmp_path: Path,
) -> None:
    create = "import sys; from pathlib import Path; from ingest.store.catalog import Catalog; "
    create += "Catalog(Path(sys.argv[1]))"
    python = [sys.executable, "-c", create]
    outcomes = set()
    for write in range(1, 200):
        path = tmp_path / str(write) / CATALOG_FILE
        path.parent.mkdir()
        killed = subprocess.run(
            [
                *KILL_AT_WRITE,
                f"inject={KILLED_WRITES}:signal=SIGKILL:when={write}",
                *python,
                str(path),
            ],
            capture_output=True,
        )
        if killed.returncode == 0:
            break  # no write left to kill at
        assert killed.returncode in (-9, 137), killed.stderr
        catalog = open_catalog(path.parent)
        outcomes.add(catalog.connection.execute("PRAGMA user_version").fetchone()[0])
        catalog.close()
    else:
        raise AssertionError("creating a catalog never finished under strace")
    assert write > 10
    assert outcomes == {CATALOG_VERSION}


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
@pytest.mark.parametrize("command", [["docs"], ["check"], ["report"], ["entities"]])
def test_a_catalog_that_cannot_be_read_gives_one_line_saying_what_to_do(
    index: Path, damage: str, command: list[str]
) -> None:
    catalog = index / CATALOG_FILE
    if damage == "garbage":
        catalog.write_bytes(os.urandom(8192))
    else:
        os.truncate(catalog, catalog.stat().st_size // 2)

    line = one_error_line(csp(*command, "--index", str(index)))

    assert line.startswith(f"Error: the catalog at {catalog} cannot be read (")
    assert line.endswith(
        f"it is damaged; move {index} aside and run `csp ingest` on your documents to rebuild it"
    )


def test_a_deleted_index_is_rebuilt_by_the_next_ingest_saying_so(
    engine_index: Path, backend_name: str
) -> None:
    index = engine_index
    stored = doc_ids_in_catalog(index)
    shutil.rmtree(index / backend_name)

    ingest = csp("ingest", str(sample(BRENTWOOD_PLAN, "text")), "--index", str(index))

    assert ingest.returncode == 0, ingest.stderr
    assert "0 ingested, 1 unchanged" in ingest.stdout
    assert (
        "note: the search index did not match the catalog (1 documents missing from the "
        "index): rewrote those documents from the catalog"
    ) in ingest.stderr
    assert doc_ids_in_index(index) == stored
    assert csp("check", "--index", str(index)).returncode == 0


def segment_file(index: Path, backend_name: str = "whoosh") -> Path:
    [segment] = (index / backend_name).glob(SEGMENT_FILES[backend_name])
    return segment


def damage(segment: Path, how: str) -> None:
    size = segment.stat().st_size
    if how == "overwritten in the middle":
        with segment.open("r+b") as file:
            file.seek(size // 2)
            file.write(bytes(range(256)) * 16)
    else:
        os.truncate(segment, size // 2)


@pytest.mark.parametrize("how", ["overwritten in the middle", "truncated"])
def test_a_damaged_segment_is_named_by_check_and_rebuilt_by_repair(
    engine_index: Path, backend_name: str, how: str
) -> None:
    index = engine_index
    damage(segment_file(index, backend_name), how)
    repair_line = (
        f"the search index at {index / backend_name} is damaged (",
        "): run `csp check --repair` to rebuild it from the catalog",
    )

    check = csp("check", "--index", str(index))

    assert check.returncode == 1
    assert "Traceback" not in check.stderr + check.stdout
    [line] = check.stdout.splitlines()
    assert line.startswith(repair_line[0]) and line.endswith(repair_line[1]), line
    if how == "truncated":  # a search reads the segment's directory first
        search = csp("search", "partnership", "--index", str(index))
        assert one_error_line(search).startswith("Error: " + repair_line[0])
        assert "Aborted!" not in search.stderr

    repair = csp("check", "--repair", "--index", str(index))

    assert repair.returncode == 0, repair.stdout
    assert (
        repair.stdout.splitlines()[-1]
        == "repaired: catalog and index agree: 1 documents, 19 sections"
    )
    search = csp("search", "partnership", "--index", str(index))
    assert search.returncode == 0 and "Brentwood" in search.stdout


def test_entity_tags_the_index_lost_are_found_by_check_and_mended_by_repair(
    index: Path,
) -> None:
    # The catalog re-linked, the index not: what a merge cut off between the two left.
    connection = sqlite3.connect(index / CATALOG_FILE)
    with connection:
        relinked = connection.execute(
            "UPDATE mentions SET canonical = 'Renamed Partner' WHERE label = 'PARTNER'"
        ).rowcount
    connection.close()
    assert relinked

    check = csp("check", "--index", str(index))

    assert check.returncode == 1
    assert check.stdout.splitlines()[0] == "1 with content that differs"
    assert csp("check", "--repair", "--index", str(index)).returncode == 0
    in_catalog, in_index = entity_tags(index)
    assert in_index == in_catalog
    assert ("partners", "renamed partner") in in_index


def run_states(index: Path) -> list[str]:
    """`csp report`'s state of each run, newest first."""
    report = csp("report", "--index", str(index))
    assert report.returncode == 0, report.stderr
    runs = report.stdout.split("\nRuns:\n")[1]
    return [line.split()[3] for line in runs.splitlines() if line.strip()]


def test_a_killed_ingest_shows_as_interrupted_not_running(index: Path, tmp_path: Path) -> None:
    held = tmp_path / "held"
    ingest = subprocess.Popen(
        [CSP, "ingest", str(sample(BRAINTREE_2022, "text")), "--index", str(index)],
        env=with_env(pause_env("analysing", held)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        next(held_workers(held, ingest))
        assert run_states(index)[0] == "running"
        ingest.kill()
        ingest.wait()
    finally:
        if ingest.poll() is None:
            ingest.kill()

    assert run_states(index)[0] == "interrupted"


def test_sigterm_stops_an_ingest_at_a_file_boundary_and_records_it(
    index: Path, tmp_path: Path
) -> None:
    held = tmp_path / "held"
    files = [str(sample(BRAINTREE_2022, "text")), str(sample(SAFER_ESSEX, "text"))]
    ingest = subprocess.Popen(
        [CSP, "ingest", *files, "--index", str(index)],
        env=with_env(pause_env("analysing", held)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for position, _ in enumerate(held_workers(held, ingest)):
            if position == 0:  # the first file is being read: the signal waits for it
                ingest.terminate()
        out, err = ingest.communicate(timeout=600)
    finally:
        if ingest.poll() is None:
            ingest.kill()

    assert ingest.returncode == 143, err
    assert "stopped by SIGTERM after the file being stored" in err
    assert out.splitlines()[0].startswith("ingested ")
    assert "1 ingested" in out.splitlines()[-1]
    assert run_states(index)[0] == "interrupted"
    assert csp("check", "--index", str(index)).returncode == 0
    again = csp("ingest", *files, "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert "1 ingested, 1 unchanged" in again.stdout


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_an_entity_edit_killed_at_any_fsync_is_finished_by_running_it_again(
    tmp_path: Path,
) -> None:
    index = tmp_path / "built"
    ingest_paths([sample(BRAINTREE_2022, "text")], index)
    # Each round kills the merge at its next fsync or fdatasync, on a fresh copy of
    # the index and the entity data, then runs it again, as a person would.
    outcomes = []
    for sync in range(1, 40):
        copy = tmp_path / str(sync)
        shutil.copytree(index, copy / "index")
        shutil.copytree(ENTITIES_DIR, copy / "entities")
        env = {"CSP_ENTITIES_DIR": str(copy / "entities")}
        merge = [*MERGE, "--index", str(copy / "index")]
        kill = f"inject=fsync,fdatasync:signal=SIGKILL:when={sync}"
        killed = subprocess.run(
            ["strace", "-f", "-o", os.devnull, "-e", "trace=fsync,fdatasync", "-e", kill, *merge],
            capture_output=True,
            env=with_env(env),
        )
        if killed.returncode == 0:
            break  # no sync left to kill at
        again = csp(*MERGE[1:], "--index", str(copy / "index"), env=env)
        assert again.returncode == 0, again.stderr
        checked = csp("check", "--index", str(copy / "index"))
        outcomes.append((sync, again.stderr.strip(), checked.stdout.splitlines()[0]))
        assert checked.returncode == 0, outcomes
        in_catalog, in_index = entity_tags(copy / "index")
        assert in_index == in_catalog
    else:
        raise AssertionError("the merge never finished under strace")
    assert len(outcomes) >= 3, outcomes


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_an_ingest_killed_at_any_fsync_ends_as_an_uninterrupted_one(tmp_path: Path) -> None:
    files = [str(sample(BRAINTREE_2022, "text")), str(sample(BRENTWOOD_PLAN, "text"))]
    reference = tmp_path / "reference"
    assert csp("ingest", *files, "--index", str(reference)).returncode == 0
    wanted = doc_ids_in_catalog(reference)
    # Each round kills a fresh ingest at its next fsync or fdatasync (the catalog's
    # commits, the run's records), then ingests again, as a person would.
    outcomes = []
    for sync in range(1, 60):
        index = tmp_path / str(sync)
        ingest = [CSP, "ingest", *files, "--index", str(index)]
        kill = f"inject=fsync,fdatasync:signal=SIGKILL:when={sync}"
        killed = subprocess.run(
            ["strace", "-f", "-o", os.devnull, "-e", "trace=fsync,fdatasync", "-e", kill, *ingest],
            capture_output=True,
        )
        if killed.returncode == 0:
            break  # no sync left to kill at
        again = csp("ingest", *files, "--index", str(index))
        assert again.returncode == 0, (sync, again.stderr)
        checked = csp("check", "--index", str(index))
        outcomes.append((sync, checked.stdout.splitlines()[0]))
        assert checked.returncode == 0, outcomes
        assert doc_ids_in_catalog(index) == doc_ids_in_index(index) == wanted
    else:
        raise AssertionError("the ingest never finished under strace")
    assert len(outcomes) >= 3, outcomes


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root, to run commands as nobody",
)
def test_a_read_only_index_folder_serves_reading_commands_and_names_itself_to_writers(
    index: Path,
) -> None:
    # pytest's folders are root's alone: nobody needs one it can read but not write.
    # The files keep the permissions the ingest gave them.
    shared = Path(tempfile.mkdtemp(prefix="csp-read-only-"))
    try:
        shared.chmod(0o755)
        folder = shared / "index"
        shutil.copytree(index, folder)
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        as_nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", CSP]

        def run(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [*as_nobody, *args, "--index", str(folder)],
                capture_output=True,
                text=True,
                env=with_env({"HOME": str(shared)}),
                cwd=shared,
                timeout=600,
            )

        for command in (["search", "partnership"], ["docs"], ["report"], ["entities"]):
            result = run(*command)
            assert result.returncode == 0, (command, result.stderr)
            assert "Brentwood" in result.stdout or "Runs:" in result.stdout, command
        ingest = run("ingest", str(sample(BRAINTREE_2022, "text")))
        assert one_error_line(ingest) == (
            f"Error: cannot write to the index folder {folder} (Permission denied): the "
            "ingest needs a folder it can write to; searching and listing work without one"
        )
    finally:
        shutil.rmtree(shared)


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs of a given size, made larger by calling the fixture's result again."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()

    def mount(size: str) -> Path:
        options = f"size={size}" if not os.path.ismount(mount_point) else f"remount,size={size}"
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mount_point)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
        return mount_point

    yield mount
    if os.path.ismount(mount_point):
        subprocess.run(["umount", str(mount_point)], check=True)


@pytest.mark.parametrize("size", ["300k", "500k", "700k"])
def test_an_ingest_on_a_full_disk_stops_in_one_line_and_nothing_is_lost(
    small_disk, size: str
) -> None:
    index = small_disk(size) / "index"
    files = [str(sample(stem, "text")) for stem in (BRENTWOOD_PLAN, BRAINTREE_2022, SAFER_ESSEX)]

    full = csp("ingest", *files, "--index", str(index))

    line = one_error_line(full)
    assert line.startswith(
        f"Error: the catalog at {index / CATALOG_FILE} could not be written"
    ) or (
        line.startswith(
            f"Error: the search index at {index / recorded_backend(index)} could not be written"
        )
        and line.endswith("free disk space, then run `csp check --repair`")
    ), line
    assert "(database or disk is full)" in line or "(No space left on device)" in line
    assert doc_ids_in_index(index) <= doc_ids_in_catalog(index)
    small_disk("50m")  # space freed
    assert csp("check", "--repair", "--index", str(index)).returncode == 0
    again = csp("ingest", *files, "--index", str(index))
    assert again.returncode == 0, again.stderr
    assert len(doc_ids_in_catalog(index)) == 3
    assert doc_ids_in_index(index) == doc_ids_in_catalog(index)
