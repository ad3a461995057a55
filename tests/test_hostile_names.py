"""File names are data, not output: a newline or a terminal escape code in a name is
printed escaped by `csp ingest`, `csp report`, `csp docs` and `csp extract`, so a name
can neither forge an "ingested" line nor recolour or clear the terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_runs import run

from ingest.paths import printable_path

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "text" / "002_8216942259ceca4c.txt"
FORGED = "plan\ningested secret-plan.pdf (9 documents, 99 sections)\x1b[2J\x1b[31m.txt"


def test_names_with_newlines_and_escape_codes_are_printed_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / FORGED)
    index = str(tmp_path / "index")
    outputs = [
        run("ingest", str(folder), "--index", index)[1],
        run("report", "--index", index)[1],
        run("docs", "--index", index)[1],
        run("extract", str(folder / FORGED))[1],
    ]
    for output in outputs:
        assert "\x1b" not in output
        assert not any(line.startswith("ingested secret-plan.pdf") for line in output.splitlines())
        assert "plan\\ningested secret-plan.pdf" in output
        assert "\\x1b[2J\\x1b[31m.txt" in output
    assert outputs[0].splitlines()[0].startswith("ingested ")


def test_printable_names_are_left_as_they_are() -> None:
    assert printable_path("Café – plan 2019/20 (final).pdf") == "Café – plan 2019/20 (final).pdf"
    assert printable_path("a\tb\u202ec") == "a\\tb\\u202ec"
