"""The light read path: reading commands and the app's search page, each run as a real
process on a real index, import neither spaCy nor the PDF library.

Speed is measured by `python -m bench.cli`, never asserted here; what is asserted is
which libraries a process loaded (`python -X importtime` names every module imported).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"spacy", "thinc", "pymupdf", "fitz"}
APP = str(Path(__file__).resolve().parents[1] / "search_app.py")
APP_SEARCH = """
import sys
from streamlit.testing.v1 import AppTest

test = AppTest.from_file(sys.argv[1], default_timeout=60)
test.query_params["q"] = "J9"
test.run()
assert not test.exception, test.exception
print("\\n".join(header.value for header in test.header))
"""


def imported(*args: str, env: dict | None = None) -> tuple[str, set[str]]:
    """The output of `python -X importtime ARGS...` and the top-level packages it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return done.stdout, {module.split(".")[0] for module in modules} | modules


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["search", "J9"], "'J9' Domestic Abuse training"),
        (["docs"], "Safer Essex Prospectus"),
        (["entity", "J9"], "J9 (initiative"),
    ],
)
def test_reading_commands_load_neither_spacy_nor_the_pdf_library(
    corpus_index: Path, command: list[str], expected: str
) -> None:
    output, modules = imported("-m", "ingest.cli", *command, "--index", str(corpus_index))
    assert expected in output
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_search_without_an_area_loads_no_gazetteer(corpus_index: Path) -> None:
    _, modules = imported("-m", "ingest.cli", "search", "J9", "--index", str(corpus_index))
    assert "ingest.attribution.gazetteer" not in modules
    _, modules = imported(
        "-m", "ingest.cli", "search", "J9", "--district", "Braintree", "--index", str(corpus_index)
    )
    assert "ingest.attribution.gazetteer" in modules


def test_the_apps_search_page_loads_neither_spacy_nor_the_pdf_library(
    corpus_index: Path,
) -> None:
    output, modules = imported(
        "-c", APP_SEARCH, APP, env={**os.environ, "CSP_INDEX": str(corpus_index)}
    )
    assert "Braintree" in output.splitlines()
    assert not modules & HEAVY, sorted(modules & HEAVY)


def test_the_check_sees_heavy_imports() -> None:
    """The control: opening a page preview's module does load the PDF library."""
    _, modules = imported("-c", "import ingest.answers.pages")
    assert {"pymupdf", "fitz"} & modules
