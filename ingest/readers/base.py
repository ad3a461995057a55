"""What every reader shares: the supported formats, and telling them apart by content.

The format is decided from the file's first bytes, not its name: council sites serve
HTML error pages and images under .pdf names.  A file that cannot be read raises
`ingest.errors.ReaderError` with a reason a user can act on.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import ReaderError

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES


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
    if is_probably_text(head):
        return "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    raise ReaderError(f"unsupported file type: starts with {describe_start(head)}")


def is_probably_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        return error.start >= len(head) - 3
    return True


def describe_start(head: bytes) -> str:
    """A short printable rendering of a file's first bytes for error messages."""
    magic = {
        b"\xff\xd8\xff": "JPEG image bytes",
        b"\x89PNG": "PNG image bytes",
        b"PK\x03\x04": "ZIP archive bytes (Office document?)",
        b"\xd0\xcf\x11\xe0": "OLE bytes (old Office document?)",
        b"GIF8": "GIF image bytes",
    }
    for prefix, name in magic.items():
        if head.startswith(prefix):
            return name
    sample = head[:24].decode("utf-8", errors="replace")
    printable = "".join(char if char.isprintable() else " " for char in sample).strip()
    return repr(printable) if printable else "binary data"
