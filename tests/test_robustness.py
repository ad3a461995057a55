"""Hostile files: every file gets a status and a reason, the batch goes on, the good
files are searchable, and `csp report` shows the run again."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.crash import CSP

from pausing import pause_env, with_env
from samples import BRAINTREE_2022, BRENTWOOD_PLAN, file_statuses, sample

pytestmark = pytest.mark.e2e  # each test runs `csp` commands

# What each hostile file must come to: its status and the start of its reason.
EXPECTED = {
    "cycle__Pages-tree-refs.pdf": ("partial", "page 2 unreadable: cycle in page tree"),
    "cycle__T02-02_002_page-tree-kids-links-recursive.pdf": ("failed", "no readable pages"),
    "encrypted__enc-XI-R6-V5-U-attachment-encrypted-attachments.pdf": (
        "failed",
        "encrypted: password required",
    ),
    "encrypted__encryption_openpassword.pdf": ("failed", "encrypted: password required"),
    "encrypted__libreoffice-writer-password.pdf": ("failed", "encrypted: password required"),
    "encrypted__encryption_notextaccess.pdf": ("ingested", None),
    "notpdf__generated-html-404-page.pdf": ("failed", "not a PDF: starts with '<!DOCTYPE html>"),
    "notpdf__minimal_test.pdf": ("failed", "not a valid PDF"),
    "notpdf__qpdf-fuzz-69977b-jpeg-bytes.pdf": ("failed", "not a PDF: starts with JPEG image"),
    "notpdf__qpdf-fuzz-70245-zero-length.pdf": ("failed", "empty file"),
    "notpdf__qpdf-not-even-a-pdf.pdf": ("failed", "not a PDF: starts with 'not even a pdf"),
    "notpdf__qpdf-potato-salad.pdf": ("failed", "not a PDF: starts with 'potato salad'"),
    "pages__generated-20000-pages.pdf": (
        "partial",
        "read the first 5000 of 20000 pages (--max-pages)",
    ),
    "pages__poppler-67295-0.pdf": ("failed", "invalid page tree"),
    "truncated__GeoTopo-komprimiert-truncated-50pct.pdf": ("failed", "no readable pages"),
    "xref__append-xref-loop.pdf": ("failed", "no readable pages"),
    "crash__test_4907.pdf": ("ingested", None),
    "hang__test_2548.pdf": ("ingested", None),
    "hang__govdocs1-504076.pdf": ("ingested", "file was damaged and repaired"),
    "pages__govdocs1-027613.pdf": ("ocr", "file was damaged and repaired"),
    "image__balloon_a1b_jp2k.pdf": ("ocr", None),
    "image__scan-bad.pdf": ("ocr", "file was damaged and repaired"),
    "encrypted__empty_protected.pdf": ("failed", "no text layer on any page (blank)"),
}


def test_the_bad_pdfs_each_get_a_status_and_the_good_file_is_searchable(
    badpdfs: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    good = sample(BRENTWOOD_PLAN, "pdf")

    run = subprocess.run(
        [CSP, "ingest", str(badpdfs), str(good), "--index", str(index), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 1, run.stderr
    statuses = file_statuses(run.stdout)
    pdfs = sorted(path.name for path in badpdfs.glob("*.pdf"))
    assert set(pdfs) <= set(statuses)
    for name, (status, reason) in EXPECTED.items():
        assert statuses[name][0] == status, (name, statuses[name])
        if reason:
            assert statuses[name][1].startswith(reason), (name, statuses[name])
    for name in pdfs:
        status, reason = statuses[name]
        assert status != "failed" or (reason and "\n" not in reason and "Traceback" not in reason)
    assert statuses[good.name] == ("ingested", None)

    search = subprocess.run(
        [CSP, "search", '"Protecting People from Harm"', "--index", str(index), "--json"],
        capture_output=True,
        text=True,
    )
    assert search.returncode == 0
    assert any(hit["file"] == str(good) for hit in json.loads(search.stdout)["hits"])

    report = json.loads(
        subprocess.run(
            [CSP, "report", "--index", str(index), "--json"], capture_output=True, text=True
        ).stdout
    )
    by_name = {Path(row["path"]).name: row for row in report["files"]}
    assert set(pdfs) <= set(by_name)
    assert by_name["pages__generated-20000-pages.pdf"]["pages"] == 20000
    assert by_name["hang__govdocs1-050734.pdf"]["textless_pages"] == 1
    assert by_name[good.name]["entities"] > 0 and by_name[good.name]["format"] == "pdf"
    assert report["runs"][0]["counts"]["failed"] == sum(
        status == "failed" for status, _ in statuses.values()
    )


def test_a_file_too_slow_times_out_with_its_page(badpdfs: Path, tmp_path: Path) -> None:
    pages = badpdfs / "pages__generated-20000-pages.pdf"
    # The worker hangs on page 3, as a page MuPDF cannot finish would; the limit only has
    # to be longer than opening the file and reading two pages take.
    run = subprocess.run(
        [CSP, "ingest", str(pages), "--index", str(tmp_path), "--timeout", "5"],
        env=with_env(pause_env("reading:3")),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert run.stdout.startswith(f"failed: timed out after 5 s on page 3 {pages}\n"), run.stdout


def test_a_page_limit_ingests_the_first_pages_as_partial(badpdfs: Path, tmp_path: Path) -> None:
    pages = badpdfs / "pages__generated-20000-pages.pdf"
    run = subprocess.run(
        [CSP, "ingest", str(pages), "--index", str(tmp_path), "--max-pages", "50"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0
    assert run.stdout.startswith("partial: read the first 50 of 20000 pages (--max-pages) ")
    assert "1 partial" in run.stdout.splitlines()[-1]


def test_retry_failed_reruns_only_the_files_that_failed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(sample(BRAINTREE_2022, "pdf"), folder / "annual-report.pdf")
    (folder / "plan.pdf").write_bytes(sample(BRENTWOOD_PLAN, "pdf").read_bytes()[:2000])
    index = tmp_path / "index"
    first = subprocess.run(
        [CSP, "ingest", str(folder), "--index", str(index)], capture_output=True, text=True
    )
    assert first.returncode == 1
    assert re.search(r"^failed: .* \S+/plan\.pdf$", first.stdout, re.MULTILINE), first.stdout

    # The council's site is fixed; the whole file is fetched again.
    shutil.copy(sample(BRENTWOOD_PLAN, "pdf"), folder / "plan.pdf")
    retry = subprocess.run(
        [CSP, "ingest", "--retry-failed", "--index", str(index)], capture_output=True, text=True
    )

    assert retry.returncode == 0, retry.stdout
    lines = retry.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith("ingested ") and "plan.pdf" in lines[0]
    assert lines[1].startswith("1 files in ")
    text = subprocess.run(
        [CSP, "report", "--index", str(index)], capture_output=True, text=True
    ).stdout
    assert text.startswith("Run 2:\nstatus")
    assert re.search(r"^ingested +pdf +17 ", text, re.MULTILINE), text


def test_ingest_needs_paths_or_retry_failed(tmp_path: Path) -> None:
    run = subprocess.run([CSP, "ingest", "--index", str(tmp_path)], capture_output=True, text=True)
    assert run.returncode == 2
    assert (
        "give files, folders or URLs to ingest, --sources, --retry-failed or --backend"
        in run.stderr
    )
