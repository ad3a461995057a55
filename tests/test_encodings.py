"""Text files saved by other tools: UTF-16 ("Unicode text" in Notepad and Word), Windows-1252
and Latin-1 are read as the text they hold, not refused as an unsupported file type."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import ReaderError
from ingest.readers import read_file
from ingest.readers.base import sniff_format

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "text" / "001_830debaf43ef9f6c.txt"


def sample_text() -> str:
    """A real annual report, with a pound sign and curly quotes that only some 8-bit
    encodings hold."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("\u2010", "-").replace("\u2011", "-")
    return f"Budget: £17,739 for the ‘J9’ training.\n\n{text}"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "cp1252", "utf-8-sig"])
def test_a_text_file_in_another_encoding_is_read_as_its_text(tmp_path: Path, encoding: str) -> None:
    text = sample_text()
    path = tmp_path / f"report-{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    if encoding == "utf-16-be":  # with its byte order mark, as Word writes it
        path.write_bytes(b"\xfe\xff" + text.encode(encoding))
    assert sniff_format(path) == "text"
    read = "\n".join(block.text for block in read_file(path).blocks)
    assert "Budget: £17,739 for the ‘J9’ training." in read
    assert "Braintree District Community Safety Partnership" in read
    assert "\ufffd" not in read


def test_a_latin_1_file_keeps_its_pound_signs_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "latin-1.txt"
    text = (
        "Café culture and the night-time economy\n\nThe Partnership spent £2,500 on Pubwatch"
        " radios in Chelmsford town centre, and the Café Safe scheme reached 40 premises."
    )
    path.write_bytes(text.encode("latin-1"))
    read = "\n".join(block.text for block in read_file(path).blocks)
    assert "£2,500" in read and "Café Safe" in read


def test_images_and_binary_data_are_still_refused_with_a_reason(tmp_path: Path) -> None:
    image = tmp_path / "logo.txt"
    image.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4)
    with pytest.raises(ReaderError, match="JPEG"):
        sniff_format(image)
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReaderError, match="unsupported file type"):
        sniff_format(noise)
