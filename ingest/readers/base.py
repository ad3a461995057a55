"""What every reader shares: the supported formats, and telling them apart by content.

The format is decided from the file's first bytes, not its name: council sites serve
HTML error pages and images under .pdf names.  A file that cannot be read raises
`ingest.errors.ReaderError` with a reason a user can act on.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from ingest.errors import ReaderError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
# UTF-32's byte order marks begin like UTF-16's, so they are tried first.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BINARY_MAGIC = {
    b"\xff\xd8\xff": "JPEG image bytes",
    b"\x89PNG": "PNG image bytes",
    b"PK\x03\x04": "ZIP archive bytes (Office document?)",
    b"\xd0\xcf\x11\xe0": "OLE bytes (old Office document?)",
    b"GIF8": "GIF image bytes",
}
# More control characters than this share of a sample and it is not text.
MAX_CONTROL_SHARE = 0.01


def sniff_format(path: Path) -> str:
    """'pdf', 'html' or 'text' from the content; raises ReaderError otherwise."""
    with open(path, "rb") as handle:
        head = handle.read(2048)
    if not head:
        raise ReaderError("empty file")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        if path.suffix.lower() in PDF_SUFFIXES:
            raise ReaderError(f"not a PDF: starts with {describe_start(head)}")
        return "html"
    if path.suffix.lower() in PDF_SUFFIXES:
        raise ReaderError(f"not a PDF: starts with {describe_start(head)}")
    if text_encoding(head) is not None:
        return "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    raise ReaderError(f"unsupported file type: starts with {describe_start(head)}")


def text_encoding(head: bytes) -> str | None:
    """The encoding the first bytes of a text file are in, or None if they are not text.

    UTF-8 first; then a byte order mark (UTF-16 and UTF-32 from Word's "Unicode text");
    then what charset-normalizer makes of them (Windows-1252 and Latin-1 from older
    council systems), if that reads as text rather than control characters."""
    if head.startswith(tuple(BINARY_MAGIC)):
        return None
    for mark, encoding in BYTE_ORDER_MARKS:
        if head.startswith(mark):
            return encoding
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "utf-8"
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start >= len(head) - 3:
                return "utf-8"
    best = from_bytes(head).best()
    if best is None:
        return None
    text = str(best)
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return best.encoding if text and controls <= MAX_CONTROL_SHARE * len(text) else None


def decode_text(raw: bytes) -> str:
    """A text file's bytes as text, in whatever encoding `text_encoding` finds."""
    encoding = text_encoding(raw[:65536]) or "utf-8"
    if encoding in ("utf-8", "utf-8-sig"):
        return raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    try:
        return raw.decode(encoding).lstrip("\ufeff")
    except (UnicodeDecodeError, LookupError):
        best = from_bytes(raw).best()  # the sample's guess did not hold for the whole file
        return str(best) if best is not None else raw.decode("cp1252", errors="replace")


def describe_start(head: bytes) -> str:
    """A short printable rendering of a file's first bytes for error messages."""
    for prefix, name in BINARY_MAGIC.items():
        if head.startswith(prefix):
            return name
    sample = head[:24].decode("utf-8", errors="replace")
    printable = "".join(char if char.isprintable() else " " for char in sample).strip()
    return repr(printable) if printable else "binary data"
