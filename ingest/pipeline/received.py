"""A file received from outside (uploaded through the app, or downloaded by `csp ingest
URL`): checked and stored in one of the index folder's own folders.

A file is refused, with the reason, when it is empty, over the size limit, or not a
PDF, HTML or text file by its content (the name's suffix is not trusted).  Its name is
reduced to a safe base name, so no received file can write outside the folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import ReaderError
from ingest.readers.base import sniff_format

MAX_UPLOAD_MB = 50
MAX_NAME_CHARS = 120
UNSAFE = re.compile(r"[^\w.\- ]+")


@dataclass
class Upload:
    name: str
    data: bytes


def safe_name(name: str) -> str:
    """A base name with no folders, control or shell characters, and no leading dot."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C")
    base = UNSAFE.sub("_", base).strip(" ._")
    if len(base) > MAX_NAME_CHARS:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: MAX_NAME_CHARS - len(suffix) - 1] + dot + suffix) if dot else base
        base = base[:MAX_NAME_CHARS]
    return base or "upload"


def store_upload(upload: Upload, folder: Path) -> tuple[Path | None, str | None]:
    """(stored path, None), or (None, reason) when the file is refused."""
    if not upload.data:
        return None, "empty file"
    if len(upload.data) > MAX_UPLOAD_MB * 1024 * 1024:
        size = len(upload.data) / (1024 * 1024)
        return None, f"too large ({size:.0f} MB; the limit is {MAX_UPLOAD_MB} MB)"
    folder.mkdir(parents=True, exist_ok=True)
    name = safe_name(upload.name)
    digest = hashlib.sha256(upload.data).hexdigest()[:12]
    staged = folder / f".incoming-{digest}-{name}"
    staged.write_bytes(upload.data)
    try:
        sniff_format(staged)
    except ReaderError as error:
        staged.unlink()
        return None, str(error)
    target = folder / name
    if target.exists() and target.read_bytes() != upload.data:
        stem, dot, suffix = name.rpartition(".")
        target = folder / (f"{stem}-{digest}{dot}{suffix}" if dot else f"{name}-{digest}")
    staged.replace(target)
    return target, None
