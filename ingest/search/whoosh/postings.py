"""A field's postings read fast: segment by segment, a block of section numbers at a
time, into numpy arrays.

The per-searcher maps (each section's document, cluster and page, the facet fields'
values) read every posting of a field.  Through the whole index's reader, each term
is looked up in every segment and its numbers come one Python call each: at 100,000
sections in 17 segments that was 3-5 s for the maps a home page and a first query
need.  Here each segment's own terms are read from that segment only, and a block of
postings (up to 128 numbers) is decoded at once.  Whoosh's on-disk postings (its
`W3LeafMatcher`) are read through their block methods; any other matcher one number
at a time, as Whoosh would.

A segment never changes once written (deletions are kept beside it), so each segment's
postings of a field are also kept on disk, beside the segment, in
`csp-postings-<segment>-<field>.npz`, written by the first process that reads them
(`csp ingest` reads them as it ends); a later process, such as the app starting on an
index of 100,000 sections, loads them in milliseconds.  Files of segments merged away
are removed as new ones are written; a folder that cannot be written only costs the
reading again.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import numpy as np
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

# The fields read for the per-searcher maps besides the facets' (`facets.FACET_FIELDS`):
# each section's document, cluster and page.
MAP_FIELDS = ("doc_id", "cluster_id", "page_start")
KEPT_FILE = "csp-postings-{segment}-{field}.npz"
KEPT_PATTERN = re.compile(r"csp-postings-(.+)-([a-z_]+)\.npz")


def field_postings(searcher: Searcher, name: str) -> dict[bytes, np.ndarray]:
    """Each term of field `name` (its sortable ones: a number's full value, not Whoosh's
    coarser range terms), in order, with the sections holding it, numbered as in
    `searcher`, ascending.  Deleted sections are left out."""
    folder = index_folder(searcher)
    found: dict[bytes, list[np.ndarray]] = {}
    leaves = searcher.reader().leaf_readers()
    forget_merged(folder, {reader.segment() for reader, _ in leaves})
    written: set[Path | None] = set()
    for reader, offset in leaves:
        held = segment_postings(reader, name, folder, written)
        live = live_in_segment(reader)
        for term, ids in held.items():
            kept = ids if live is None else ids[live[ids]]
            found.setdefault(term, []).append(kept.astype(np.int64) + offset)
    if folder is not None and folder in written:
        remove_merged(folder)
    return {term: np.concatenate(found[term]) for term in sorted(found)}


def segment_postings(
    reader: IndexReader, name: str, folder: Path | None, written: set[Path | None]
) -> dict[bytes, np.ndarray]:
    """One segment's postings of field `name`, numbered within the segment, deleted
    sections included: from memory, else its file, else read (and the file written,
    its folder added to `written`)."""
    held_in = reader.segment()
    if held_in is None:  # not a segment of an index on disk: read it, nothing kept
        folder = None
    segment = held_in.segment_id() if held_in is not None else ""
    key = (folder, segment, name)
    with _lock:
        if folder is not None and key in _kept:
            return _kept[key]
    path = folder / KEPT_FILE.format(segment=segment, field=name) if folder else None
    held = load_postings(path) if path is not None else None
    if held is None:
        field_type = reader.schema[name]
        held = {
            term: matcher_ids(reader.postings(name, term)).astype(np.int32)
            for term in field_type.sortable_terms(reader, name)
        }
        if path is not None:
            save_postings(path, held)
            written.add(folder)
    if folder is not None:
        with _lock:
            _kept[key] = held
    return held


_lock = threading.Lock()
_kept: dict[tuple[Path | None, str, str], dict[bytes, np.ndarray]] = {}


def forget_merged(folder: Path | None, segments: set) -> None:
    """Drop from memory the postings of this folder's segments merged away."""
    current = {segment.segment_id() for segment in segments if segment is not None}
    with _lock:
        for key in [key for key in _kept if key[0] == folder and key[1] not in current]:
            del _kept[key]


def load_postings(path: Path) -> dict[bytes, np.ndarray] | None:
    try:
        with np.load(path) as stored:
            blob, term_ends, ids, id_ends = (
                stored["terms"].tobytes(),
                stored["term_ends"],
                stored["ids"],
                stored["id_ends"],
            )
    except (OSError, ValueError, KeyError):  # not written yet, or cut short: read again
        return None
    if not len(term_ends):
        return {}
    terms = np.split(np.frombuffer(blob, dtype=np.uint8), term_ends[:-1])
    return dict(zip((term.tobytes() for term in terms), np.split(ids, id_ends[:-1]), strict=True))


def save_postings(path: Path, held: dict[bytes, np.ndarray]) -> None:
    """Written under a temporary name and renamed, so a reader never meets half a file."""
    terms = list(held)
    try:
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        with temporary.open("wb") as out:
            np.savez(
                out,
                terms=np.frombuffer(b"".join(terms), dtype=np.uint8),
                term_ends=np.cumsum([len(term) for term in terms], dtype=np.int64),
                ids=np.concatenate(list(held.values())) if terms else np.empty(0, np.int32),
                id_ends=np.cumsum([len(ids) for ids in held.values()], dtype=np.int64),
            )
        os.replace(temporary, path)
    except OSError:  # a read-only folder: read again next time
        return


def remove_merged(folder: Path) -> None:
    """Remove the kept postings of segments the index no longer holds."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    # The latest generation's: an older searcher's segments may be merged away since.
    current = {
        segment.segment_id() for segment in TOC.read(FileStorage(str(folder)), "MAIN").segments
    }
    for path in folder.glob("csp-postings-*.npz"):
        matched = KEPT_PATTERN.fullmatch(path.name)
        if matched and matched.group(1) not in current:
            try:
                path.unlink(missing_ok=True)
            except OSError:  # a read-only folder
                return


def index_folder(searcher: Searcher) -> Path | None:
    """The folder of the index `searcher` reads, where its segments' postings are kept
    (None for an index not in a folder)."""
    storage = getattr(getattr(searcher, "_ix", None), "storage", None)
    folder = getattr(storage, "folder", None)
    return Path(folder) if folder else None


def live_in_segment(reader: IndexReader) -> np.ndarray | None:
    """A boolean per section of one segment: whether it is not deleted; None when none is."""
    if not reader.has_deletions():
        return None
    live = np.zeros(reader.doc_count_all(), dtype=bool)
    live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
    return live


def matcher_ids(matcher: Matcher) -> np.ndarray:
    """Every number a postings matcher yields, read a block at a time."""
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions: dropped by the caller, by number
    if not all(hasattr(matcher, name) for name in ("_read_ids", "_next_block", "_ids")):
        return np.fromiter(matcher.all_ids(), dtype=np.int64)
    blocks = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        blocks.append(np.asarray(matcher._ids[matcher._i :], dtype=np.int64))
        matcher._next_block()
    return np.concatenate(blocks) if blocks else np.empty(0, dtype=np.int64)


def live_sections(searcher: Searcher) -> np.ndarray:
    """A boolean per section number: whether it is not deleted (a deleted one keeps
    its number until a merge)."""
    parts = []
    for reader, _ in searcher.reader().leaf_readers():
        live = live_in_segment(reader)
        parts.append(np.ones(reader.doc_count_all(), dtype=bool) if live is None else live)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)
