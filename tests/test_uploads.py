"""Uploads: names made safe, type checked by content, refused files explained, and the
index left intact when an upload is broken."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ingest.answers.queries import document_rows
from ingest.pipeline import received, uploads
from ingest.pipeline.uploads import Upload, ingest_uploads, safe_name, store_upload

from samples import PDF_DIR, TEXT_DIR


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\report.pdf", "report.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("Plan 2019/20.pdf", "20.pdf"),
        ("a\x00b\x1b[31m.pdf", "ab_31m.pdf"),
        ("<script>alert(1)</script>.pdf", "script_.pdf"),
        ("..", "upload"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_name_keeps_a_plain_base_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_uploads_never_leave_the_managed_folder(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    data = (PDF_DIR / "001_830debaf43ef9f6c.pdf").read_bytes()
    path, reason = store_upload(Upload("../../escape.pdf", data), folder)
    assert reason is None and path == folder / "escape.pdf"
    assert not (tmp_path / "escape.pdf").exists()


def test_type_is_checked_by_content_not_name(tmp_path: Path) -> None:
    html = b"<!DOCTYPE html><html><body>404 Not Found</body></html>"
    path, reason = store_upload(Upload("report.pdf", html), tmp_path)
    assert path is None and reason.startswith("not a PDF: starts with")
    assert list(tmp_path.iterdir()) == []
    path, reason = store_upload(Upload("photo.pdf", b"\xff\xd8\xff\xe0 jpeg"), tmp_path)
    assert path is None and "JPEG" in reason


def test_empty_and_oversized_uploads_are_refused(tmp_path: Path, monkeypatch) -> None:
    assert store_upload(Upload("a.pdf", b""), tmp_path) == (None, "empty file")
    monkeypatch.setattr(received, "MAX_UPLOAD_MB", 1)
    path, reason = store_upload(Upload("big.txt", b"x" * (2 * 1024 * 1024)), tmp_path)
    assert path is None and reason == "too large (2 MB; the limit is 1 MB)"


def test_a_broken_pdf_upload_is_explained_and_the_index_is_intact(
    badpdfs: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    good = Upload("braintree.pdf", (PDF_DIR / "001_830debaf43ef9f6c.pdf").read_bytes())
    first = ingest_uploads([good], index)
    assert [result.status for result in first] == ["ingested"]
    before = document_rows(index)

    broken = Upload("locked.pdf", (badpdfs / "encrypted__encryption_openpassword.pdf").read_bytes())
    fake = Upload("page.pdf", (badpdfs / "notpdf__generated-html-404-page.pdf").read_bytes())
    results = ingest_uploads([broken, fake], index)
    by_name = {Path(result.path).name: result for result in results}
    assert by_name["locked.pdf"].status == "failed"
    assert "password" in by_name["locked.pdf"].reason
    assert by_name["page.pdf"].status == "failed"
    assert by_name["page.pdf"].reason.startswith("not a PDF")
    assert document_rows(index) == before


@pytest.mark.e2e
def test_an_upload_while_another_writer_holds_the_index_waits_then_is_ingested(
    tmp_path: Path,
) -> None:
    data = (TEXT_DIR / "002_8216942259ceca4c.txt").read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    waits: list[str] = []
    results: list = []
    try:
        assert holder.stdout.readline().strip() == "locked"

        def upload() -> None:
            results.extend(
                ingest_uploads([Upload("plan.txt", data)], tmp_path, on_wait=waits.append)
            )

        uploading = threading.Thread(target=upload)
        uploading.start()
        while not waits and uploading.is_alive():
            uploading.join(0.05)
        assert not results
        holder.stdin.close()  # the other writer finishes
        uploading.join()
    finally:
        holder.kill()
        holder.wait()
    assert waits == [f"waiting for the entity edit (pid {holder.pid}) on {tmp_path} to finish…"]
    assert [result.status for result in results] == ["ingested"]


HOLD_LOCK = """
import sys
from pathlib import Path
from ingest.store.lock import IngestLock
with IngestLock(Path(sys.argv[1]), purpose="entity edit"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_uploads_the_app_stored_but_never_ingested_are_taken_by_the_next_ingest(
    tmp_path: Path,
) -> None:
    from ingest.pipeline.ingest import ingest_paths

    # The app stored two uploads and stopped before its ingest ran.
    folder = tmp_path / uploads.UPLOADS_DIR
    folder.mkdir()
    for name in ("002_8216942259ceca4c.txt", "001_830debaf43ef9f6c.txt"):
        (folder / name).write_bytes((TEXT_DIR / name).read_bytes())
    (folder / ".incoming-0123-half.txt").write_text("still being written", encoding="utf-8")
    notices: list[str] = []
    report = ingest_paths(
        [TEXT_DIR / "003_2ad0478eaf9859a7.txt"], tmp_path, on_notice=notices.append
    )
    assert notices == ["2 uploaded files never ingested are ingested now"]
    ingested = sorted(Path(result.path).name for result in report.results)
    assert ingested == [
        "001_830debaf43ef9f6c.txt",
        "002_8216942259ceca4c.txt",
        "003_2ad0478eaf9859a7.txt",
    ]
    assert {row["source"] for row in document_rows(tmp_path)} >= {
        str((folder / "002_8216942259ceca4c.txt").resolve())
    }
    # Once taken, they are not queued again.
    again = ingest_paths([TEXT_DIR / "003_2ad0478eaf9859a7.txt"], tmp_path)
    assert [Path(result.path).name for result in again.results] == ["003_2ad0478eaf9859a7.txt"]
    assert not again.notices
