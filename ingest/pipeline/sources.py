"""Where ingested files came from: a sidecar manifest (`csp ingest --sources FILE`).

The manifest is a CSV file with a header row.  Each row names one file, by `file` (a
path, relative to the manifest's own folder) or `sha256` (its content's hash), or both,
and says where it came from: `url` (the address it was published at, http or https),
`publisher` (who published it) and `retrieved` (the day it was fetched, YYYY-MM-DD);
any of the three may be left empty.  For example::

    file,url,publisher,retrieved
    pdf/plan-2019.pdf,https://www.example.gov.uk/plan-2019.pdf,Example Council,2024-05-01

A bad row (no file or hash, a URL that is not http or https, a date that is not one) is
named by the manifest's file name and line and left out; the other rows still count.  A
manifest's word is the strongest: it outranks a download's, an upload's and the PDF's
own metadata (`ingest.model.PROVENANCE_ORIGINS`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ingest.errors import ManifestError
from ingest.model import Provenance
from ingest.paths import printable_path

KEY_COLUMNS = ("file", "sha256")
VALUE_COLUMNS = ("url", "publisher", "retrieved")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FIELD_CHARS = 2000


@dataclass
class ManifestRow:
    line: int
    provenance: Provenance
    #: The file the row names, resolved against the manifest's folder.
    path: Path | None = None
    sha256: str | None = None


@dataclass
class Manifest:
    path: Path
    rows: list[ManifestRow] = field(default_factory=list)
    #: One message per bad row: "sources.csv line 4: ...".
    problems: list[str] = field(default_factory=list)

    def where(self, line: int) -> str:
        return f"{printable_path(self.path.name)} line {line}"

    @property
    def files(self) -> list[Path]:
        """The files its rows name by path."""
        return [row.path for row in self.rows if row.path is not None]


def is_url(text: str) -> bool:
    """An http or https address with a host: what `csp ingest` downloads."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def today() -> str:
    """The day (UTC, ISO) a file retrieved now is recorded as retrieved."""
    return datetime.now(UTC).date().isoformat()


def name_in_url(url: str) -> str:
    """The file name a URL ends in ("plan-2019.pdf"), or '' when its path names none."""
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def read_manifest(path: Path) -> Manifest:
    """The manifest's good rows and a message for each bad one; ManifestError when the
    file cannot be read or its header names neither `file` nor `sha256`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise ManifestError(f"cannot read the sources file {path}: {reason}") from error
    reader = csv.DictReader(text.splitlines())
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if not any(name in KEY_COLUMNS for name in header):
        raise ManifestError(
            f"the sources file {path} needs a header row naming a `file` or `sha256` "
            f"column (and any of {', '.join(VALUE_COLUMNS)}); it has: {', '.join(header) or 'none'}"
        )
    unknown = [name for name in header if name and name not in (*KEY_COLUMNS, *VALUE_COLUMNS)]
    if unknown:
        raise ManifestError(
            f"the sources file {path} has unknown columns ({', '.join(unknown)}): "
            f"use {', '.join((*KEY_COLUMNS, *VALUE_COLUMNS))}"
        )
    reader.fieldnames = header
    manifest = Manifest(path)
    try:
        for values in reader:
            line = reader.line_num
            problem = row_problem(values)
            if problem:
                manifest.problems.append(f"{manifest.where(line)}: {problem}")
                continue
            manifest.rows.append(manifest_row(values, line, path.parent))
    except csv.Error as error:
        manifest.problems.append(f"{manifest.where(reader.line_num)}: not CSV ({error})")
    return manifest


def cell(values: dict, column: str) -> str:
    value = values.get(column)
    return value.strip() if isinstance(value, str) else ""


def row_problem(values: dict) -> str | None:
    """Why a row cannot be used, or None."""
    if None in values:
        return "more cells than the header has columns"
    file, sha256 = cell(values, "file"), cell(values, "sha256").lower()
    url, retrieved = cell(values, "url"), cell(values, "retrieved")
    if not file and not sha256:
        return "names no file: give `file` (a path) or `sha256`"
    if sha256 and not SHA256.match(sha256):
        return f"sha256 {sha256[:80]!r} is not 64 hexadecimal digits"
    if not (url or cell(values, "publisher") or retrieved):
        return "says nothing of where the file came from: give url, publisher or retrieved"
    if url and not is_url(url):
        return f"url {url[:200]!r} is not an http or https address"
    if retrieved:
        try:
            day = date.fromisoformat(retrieved)
        except ValueError:
            return f"retrieved {retrieved[:40]!r} is not a date (write YYYY-MM-DD)"
        if day > date.today():
            return f"retrieved {retrieved} is in the future"
    if any(len(cell(values, column)) > MAX_FIELD_CHARS for column in values):
        return f"a cell is longer than {MAX_FIELD_CHARS} characters"
    return None


def manifest_row(values: dict, line: int, folder: Path) -> ManifestRow:
    file = cell(values, "file")
    return ManifestRow(
        line=line,
        provenance=Provenance(
            url=cell(values, "url") or None,
            publisher=" ".join(cell(values, "publisher").split()) or None,
            retrieved=cell(values, "retrieved") or None,
            origin="manifest",
        ),
        path=(folder / file).resolve() if file else None,
        sha256=cell(values, "sha256").lower() or None,
    )
