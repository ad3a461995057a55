"""Where each document came from: a sources manifest, a PDF's metadata, `csp ingest URL`
against a real HTTP server in a thread, and every place a result is shown (hits, `csp
search --json`, CSV, documents, commitments) carrying the source link and a readable
name, never a bare hash."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pymupdf
import pytest
from cli_runs import json_lines, run
from click.testing import CliRunner

from ingest.answers import presentation
from ingest.answers.queries import document_rows, run_search, search_documents
from ingest.cli import cli
from ingest.errors import DownloadFailed, ManifestError
from ingest.model import Provenance
from ingest.paths import MODELS_DIR
from ingest.pipeline.downloads import DOWNLOADS_DIR, download
from ingest.pipeline.ingest import ingest_paths
from ingest.pipeline.sources import read_manifest
from ingest.store.catalog import Catalog

from samples import ALL_SAMPLES, BRAINTREE_2022, sample

REAL_DOCS = MODELS_DIR / "real" / "docs"
TONBRIDGE = "005_tonbridge-and-malling_decision.txt"
TOWER_HAMLETS = "088_tower-hamlets_other.txt"
# Their real addresses, as models/real/provenance.jsonl records them.
TONBRIDGE_URL = "https://democracy.tmbc.gov.uk/mgDecisionDetails.aspx?IId=5015&Opt=1"
TOWER_HAMLETS_URL = "https://thnwa.london/2022/11/15/neighbourhood-crime-and-asb-board/"
BRAINTREE_SITE = "https://www.braintree.gov.uk"


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def catalog_provenance(index: Path) -> dict[str, Provenance]:
    """Provenance by document title."""
    catalog = Catalog(index / "catalog.sqlite")
    try:
        known = catalog.provenance()
        titles = {document.doc_id: document.title for document in catalog.documents()}
    finally:
        catalog.close()
    return {titles[doc_id]: provenance for doc_id, provenance in known.items()}


# The manifest ---------------------------------------------------------------------------


def test_a_manifest_records_where_files_came_from_and_names_each_bad_row(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (TONBRIDGE, TOWER_HAMLETS):
        shutil.copy(REAL_DOCS / name, folder / name)
    manifest = tmp_path / "sources.csv"
    manifest.write_text(
        "file,url,publisher,retrieved\n"
        f"docs/{TONBRIDGE},{TONBRIDGE_URL},Tonbridge and Malling Borough Council,2026-12-07\n"
        f"docs/{TOWER_HAMLETS},ftp://thnwa.london/board,Tower Hamlets NWA,2026-12-07\n"
        "docs/missing.txt,https://example.org/missing.txt,Nobody,07/12/2026\n"
        ",https://example.org/nothing,,\n",
        encoding="utf-8",
    )
    notices: list[str] = []
    report = ingest_paths([folder], tmp_path / "index", sources=manifest, on_notice=notices.append)
    assert not report.failed
    assert "sources.csv line 3: url 'ftp://thnwa.london/board' is not an http or https address" in (
        notices
    )
    assert "sources.csv line 4: retrieved '07/12/2026' is not a date (write YYYY-MM-DD)" in notices
    assert "sources.csv line 5: names no file: give `file` (a path) or `sha256`" in notices
    assert any("recorded where 1 of 4 files came from" in notice for notice in notices)
    known = catalog_provenance(tmp_path / "index")
    (tonbridge,) = [p for title, p in known.items() if "Community Safety Action Plan" in title]
    assert tonbridge.url == TONBRIDGE_URL
    assert tonbridge.publisher == "Tonbridge and Malling Borough Council"
    assert tonbridge.retrieved == "2026-12-07" and tonbridge.origin == "manifest"
    assert len(known) == 1, "the bad row's file has no provenance"

    # The corrected row alone, later, with no PATH: the manifest names the files.
    manifest.write_text(
        f"sha256,url,publisher\n{sha_of(folder / TOWER_HAMLETS)},{TOWER_HAMLETS_URL},"
        "Tower Hamlets Neighbourhood Watch Association\n",
        encoding="utf-8",
    )
    ingest_paths([], tmp_path / "index", sources=manifest)
    urls = {provenance.url for provenance in catalog_provenance(tmp_path / "index").values()}
    assert urls == {TONBRIDGE_URL, TOWER_HAMLETS_URL}


def sha_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_manifest_without_a_file_or_hash_column_is_refused_whole(tmp_path: Path) -> None:
    manifest = tmp_path / "sources.csv"
    manifest.write_text("path,url\nx.pdf,https://example.org/x.pdf\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="needs a header row naming a `file` or `sha256`"):
        read_manifest(manifest)
    result = CliRunner().invoke(
        cli, ["ingest", "--sources", str(manifest), "--index", str(tmp_path / "index")]
    )
    assert result.exit_code == 1
    assert "Error: the sources file" in result.output


def test_ingest_help_documents_the_manifest_and_urls() -> None:
    output = CliRunner().invoke(cli, ["ingest", "--help"]).output
    assert "--sources" in output and "retrieved" in output and "sha256" in output
    assert "URL" in output and "downloads/" in output


# A PDF's own metadata -------------------------------------------------------------------

XMP = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:publisher><rdf:Bag><rdf:li>Tonbridge and Malling Borough Council</rdf:li></rdf:Bag>
</dc:publisher>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""


def pdf_with_metadata(path: Path, text: str) -> Path:
    document = pymupdf.open()
    page = document.new_page()
    page.insert_textbox(pymupdf.Rect(50, 50, 550, 800), text, fontsize=10)
    document.set_metadata(
        {"subject": f"Published at {TONBRIDGE_URL}", "author": "J. Smith", "producer": "Word"}
    )
    document.set_xml_metadata(XMP)
    document.save(path)
    return path


def test_a_pdfs_metadata_gives_its_link_and_publisher_unless_a_manifest_says_otherwise(
    tmp_path: Path,
) -> None:
    pdf = pdf_with_metadata(tmp_path / "decision.pdf", (REAL_DOCS / TONBRIDGE).read_text())
    index = tmp_path / "index"
    assert not ingest_paths([pdf], index).failed
    (found,) = catalog_provenance(index).values()
    assert (found.url, found.publisher, found.origin) == (
        TONBRIDGE_URL,
        "Tonbridge and Malling Borough Council",
        "metadata",
    ), "the author and producer are not the publisher"

    manifest = tmp_path / "sources.csv"
    manifest.write_text(
        "file,url,publisher,retrieved\n"
        "decision.pdf,https://democracy.tmbc.gov.uk/ieDecisionDetails.aspx?ID=1,TMBC,2026-01-02\n",
        encoding="utf-8",
    )
    ingest_paths([pdf], index, sources=manifest)
    ingest_paths([pdf], index, force=True)  # the metadata, read again, does not win
    (found,) = catalog_provenance(index).values()
    assert found.url == "https://democracy.tmbc.gov.uk/ieDecisionDetails.aspx?ID=1"
    assert (found.publisher, found.retrieved, found.origin) == ("TMBC", "2026-01-02", "manifest")


# csp ingest URL, against a real server -----------------------------------------------


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """A real HTTP server on this machine serving `folder`, in a thread."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_csp_ingest_url_downloads_stores_the_original_and_records_the_url(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(sample(ALL_SAMPLES[1], "pdf"), site / "Annual Report 2022-23.pdf")
    (site / "picture.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    index = tmp_path / "index"
    with serving(site) as base:
        url = f"{base}/Annual%20Report%202022-23.pdf"
        missing = f"{base}/no-such-report.pdf"
        picture = f"{base}/picture.pdf"
        result = CliRunner().invoke(cli, ["ingest", url, missing, picture, "--index", str(index)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert f"failed: the server answered HTTP 404 File not found {missing}" in lines
    refused = next(line for line in lines if line.endswith(picture))
    assert refused.startswith("failed: ") and "PDF" in refused
    stored = index / DOWNLOADS_DIR / "Annual Report 2022-23.pdf"
    assert stored.read_bytes() == (site / "Annual Report 2022-23.pdf").read_bytes()
    assert any(line.startswith("ingested ") and line.endswith("sections)") for line in lines)
    assert not (index / DOWNLOADS_DIR / "picture.pdf").exists()

    page = search_documents(index, "J9")
    (hit,) = page.hits
    assert (hit.source_url, hit.retrieved) == (url, today())
    assert hit.file_name == "Annual Report 2022-23.pdf"


def test_a_download_over_the_size_limit_or_silent_is_refused_naming_the_url(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REAL_DOCS / TONBRIDGE, site / "decision.txt")
    with serving(site) as base:
        url = f"{base}/decision.txt"
        with pytest.raises(DownloadFailed, match=r"decision\.txt: too large") as too_large:
            download(url, tmp_path / "downloads", max_bytes=100)
        fetched = download(url, tmp_path / "downloads")
    assert too_large.value.url == url
    assert fetched.path.read_bytes() == (site / "decision.txt").read_bytes()
    assert fetched.provenance.url == url and fetched.provenance.origin == "download"
    assert not list((tmp_path / "downloads").glob(".incoming*"))

    with silent_server() as (silent_url, release):
        with pytest.raises(DownloadFailed, match=r"no answer within 0\.5 s") as silent:
            download(silent_url, tmp_path / "downloads", wait_s=0.5)
        release.set()
    assert str(silent.value).startswith(silent_url)


@contextmanager
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """A server that accepts a request and answers nothing until released."""
    release = threading.Event()

    class Silent(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            release.wait(30)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Silent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/report.pdf", release
    finally:
        release.set()
        server.shutdown()
        server.server_close()


# Every place a result is shown --------------------------------------------------------

HASHED = [f"{stem}.{suffix}" for stem in ALL_SAMPLES for suffix in ("pdf", "txt")]


def test_hits_carry_the_source_link_and_no_bare_hash(corpus_index: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "J9", "--index", str(corpus_index)])
    assert result.exit_code == 0
    assert "source: https://www.braintree.gov.uk · Braintree District Community Safety" in (
        result.output
    )
    assert not any(name in result.output for name in HASHED), result.output

    result = CliRunner().invoke(cli, ["search", "J9", "--json", "--index", str(corpus_index)])
    hits = json.loads(result.output)["hits"]
    braintree = next(hit for hit in hits if hit["districts"] == ["Braintree"])
    assert braintree["source"] == BRAINTREE_SITE
    assert braintree["publisher"] == "Braintree District Community Safety Partnership"
    prospectus = next(hit for hit in hits if hit["doc_type"] == "prospectus")
    assert prospectus["source"] is None and prospectus["publisher"] == "Safer Essex"
    assert all(hit["file_name"] == "" for hit in hits), "a hashed name is not a readable one"


def cited_files(record: dict) -> list[dict]:
    """A `--json` record's own file and its other copies, as `source`, `name`, `file`."""
    return [record, *record.get("also_in", [])]


def test_every_json_output_names_its_files_by_source_link_and_readable_name(
    corpus_index: Path,
) -> None:
    index = ["--index", str(corpus_index)]
    hits = json.loads(run("search", "J9", "--json", "--passages", *index)[1])["hits"]
    braintree = next(hit for hit in hits if hit["districts"] == ["Braintree"])
    title = "Braintree District Community Safety Partnership Annual Report 2022-23"
    assert braintree["source"] == BRAINTREE_SITE
    assert braintree["name"] == f"{title} (Braintree District Community Safety Partnership)"
    assert braintree["file"] == str(sample(BRAINTREE_2022, "pdf"))
    # Its text twin: the local file, its own link and name.
    (twin,) = braintree["also_in"]
    assert twin == {
        "source": BRAINTREE_SITE,
        "name": braintree["name"],
        "file": str(sample(BRAINTREE_2022, "text")),
    }
    prospectus = next(hit for hit in hits if hit["doc_type"] == "prospectus")
    assert (prospectus["source"], prospectus["name"]) == (
        None,
        "Safer Essex Prospectus (Safer Essex)",
    )
    documents = json_lines(run("docs", "--json", *index)[1])
    commitments = json_lines(run("commitments", "--district", "Braintree", "--json", *index)[1])
    traces = json_lines(
        run("trace", "--district", "Braintree", "--from", "2018", "--json", *index)[1]
    )
    priorities = json_lines(run("priorities", "--district", "Braintree", "--json", *index)[1])
    evidence = [item for trace in traces for item in trace["evidence"]]
    passages = [passage for hit in hits for passage in hit["passages"]]
    records = [*hits, *passages, *documents, *commitments, *traces, *evidence, *priorities]
    assert evidence and passages and commitments and priorities
    for record in records:
        for named in cited_files(record):
            assert named["source"] is None or named["source"].startswith("https://"), named
            assert named["name"] and not any(name in named["name"] for name in HASHED)
            assert Path(named["file"]).is_file()
            assert "source_url" not in named
    # Each Braintree document's link, whatever the command.
    for record in [*documents, *commitments, *traces, *priorities]:
        if record.get("districts", record.get("areas")) == ["Braintree"]:
            assert record["source"] == BRAINTREE_SITE, record


def test_the_csv_export_and_documents_carry_links_not_hashes(corpus_index: Path) -> None:
    hits = run_search(corpus_index, "J9", limit=50)
    rows = list(csv.DictReader(io.StringIO(presentation.hits_csv(hits))))
    assert {row["source link"] for row in rows} >= {BRAINTREE_SITE}
    assert {row["file"] for row in rows} <= {
        "PDF file (also as text file)",
        "PDF file",
        "text file",
        "text file (also as PDF file)",
    }
    assert not any(name in cell for row in rows for cell in row.values() for name in HASHED)

    documents = [presentation.document_row(row) for row in document_rows(corpus_index)]
    colchester = [row for row in documents if row["CSP area"] == "Colchester"]
    assert colchester and {row["publisher"] for row in colchester} == {"Colchester Borough Council"}
    assert not any(name in str(row) for row in documents for name in HASHED)


def test_commitments_carry_their_documents_source_link(corpus_index: Path) -> None:
    from ingest.answers.tracing import trace_commitments

    traces = trace_commitments(corpus_index, "Braintree", "2018", "2018")
    assert traces and {trace.source_url for trace in traces} == {BRAINTREE_SITE}
    rows = list(csv.DictReader(io.StringIO(presentation.commitments_csv(traces))))
    assert {row["source link"] for row in rows} == {BRAINTREE_SITE}
    assert not any(name in str(row) for row in rows for name in HASHED)


def test_a_readable_name_is_never_a_bare_hash() -> None:
    assert presentation.file_name("/srv/index/000_cbfd611bb349a817.pdf") == ""
    assert presentation.file_name("/srv/uploads/plan-2019.pdf") == "plan-2019.pdf"
    uploaded = Provenance(original_name="Safer Colchester plan.pdf", origin="upload")
    assert presentation.file_name("/srv/uploads/x.pdf", uploaded) == "Safer Colchester plan.pdf"
    listed = Provenance(url="https://example.gov.uk/csp/MeetingCalendar.aspx", origin="manifest")
    assert presentation.file_name("/srv/docs/0001_9f3a2b4c5d6e7f80.pdf", listed) == ""
    assert presentation.download_name("Annual Report: 2022/23", "", "/x/000_ab.pdf") == (
        "Annual Report 2022 23.pdf"
    )


def test_an_upload_keeps_the_name_it_was_uploaded_under(tmp_path: Path) -> None:
    from ingest.pipeline.uploads import Upload, ingest_uploads

    data = (REAL_DOCS / TONBRIDGE).read_bytes()
    (result,) = ingest_uploads([Upload("TMBC decision 2014.txt", data)], tmp_path)
    assert result.status == "ingested"
    (found,) = catalog_provenance(tmp_path).values()
    assert (found.original_name, found.retrieved, found.origin) == (
        "TMBC decision 2014.txt",
        today(),
        "upload",
    )
    (row,) = document_rows(tmp_path)
    assert row["file_name"] == "TMBC decision 2014.txt"
