"""The app as a user meets it: start to first page, and query to rendered results.

    python -m bench.app [--json] [--index DIR [--sections N [--backend NAME]]]

Ingests the sample corpus into a scratch index (unless --index is given; with
--sections N, a DIR holding no catalog is first filled with about N sections of copies of
the quick scaled corpus, bench/copies.py, on search engine NAME), starts
`streamlit run search_app.py`, and drives Debian's Chromium through Playwright:

- start: from launching the server to its health check answering, to the search
  page's title showing in a browser already running, and to the home page's first run
  ending (its filters counted and its prompt showing); the home page's first render,
  from asking the answering server for it to its first run ending (the process's first
  page: its imports, the index opened and counted); then the home page again, warm;
- query to render: for each query of a fixed set (words, phrases, filters), from
  pressing Enter in the search box (once the page's first run has ended) to the
  results' header showing; p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from bench.copies import build_copies, holds_index
from ingest.paths import CORPUS_DIR
from ingest.pipeline.ingest import ingest_paths
from ingest.search.registry import BACKENDS

ROOT = Path(__file__).resolve().parents[1]
# The results' header: "1–20 of 57 documents (143 passages)", "1 of 1 document (2 passages)".
TOTALS = re.compile(r" documents? \(")
QUERIES = [
    ("J9", {}),
    ('"Spot It Stop It"', {}),
    ("Street Pastors", {}),
    ("domestic abuse", {}),
    ('"anti-social behaviour"', {}),
    ("county lines", {}),
    ('Purple Flag OR "Best Bar None"', {}),
    ("hate crime", {"district": "Colchester"}),
    ("burglary", {"district": "Brentwood"}),
    ("exploitation", {"from": "2017", "to": "2018"}),
    ("MARAC", {}),
    ("Operation Henderson", {}),
    ("Safe and Well visits", {}),
    ("Community Safety Grant", {}),
    ("reoffending", {"type": "annual report"}),
    ("CCTV", {}),
    ('"night time economy"', {}),
    ("Prevent", {}),
    ("knife crime", {}),
    ("funding allocation", {"district": "Braintree"}),
    ("scams", {}),
    ("Neighbourhood Watch", {}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(index: Path) -> dict:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        # The browser is up before the clock starts: its launch is not the app's time.
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "search_app.py"),
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            env={**os.environ, "CSP_INDEX": str(index)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.05)
            healthy = time.perf_counter() - started
            page.goto(url)
            page.get_by_text("What Community Safety Partnerships did").wait_for(timeout=60_000)
            first_page = time.perf_counter() - started
            page.get_by_text("Type a word or a phrase").wait_for(timeout=60_000)
            home_page = time.perf_counter() - started
            reloaded = time.perf_counter()
            page.goto(url)
            page.get_by_text("Type a word or a phrase").wait_for(timeout=60_000)
            home_page_warm = time.perf_counter() - reloaded
            timings = []
            for query, filters in QUERIES:
                page.goto(f"{url}/?{urlencode(filters)}" if filters else url)
                box = page.get_by_role("textbox", name="Search")
                # The page's first run has ended (its prompt shows) before typing, so
                # the clock measures the query's run alone.
                page.get_by_text("Type a word or a phrase").wait_for(timeout=30_000)
                box.fill(query)
                clicked = time.perf_counter()
                box.press("Enter")
                # Results, or the answer to none: what is indexed there, and whether
                # anything matches.
                page.get_by_text(TOTALS).or_(page.get_by_text("No documents")).or_(
                    page.get_by_text("indexed, but none matches")
                ).first.wait_for(timeout=60_000)
                timings.append(time.perf_counter() - clicked)
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=20)
    return {
        "machine": f"{platform.machine()} {platform.python_version()} {os.cpu_count()} CPUs",
        "start_to_healthy_s": round(healthy, 3),
        "start_to_first_page_s": round(first_page, 3),
        "start_to_home_page_s": round(home_page, 3),
        "home_page_first_render_s": round(home_page - healthy, 3),
        "home_page_warm_s": round(home_page_warm, 3),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "queries": len(timings),
        "query_to_render_p50_s": round(statistics.median(timings), 3),
        "query_to_render_p95_s": round(percentile(timings, 0.95), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--index", type=Path, help="Serve this index instead of the samples.")
    parser.add_argument(
        "--sections",
        type=int,
        help="With --index DIR holding no catalog: first fill DIR with about this many "
        "sections, copies of the quick scaled corpus (103,000: the figures in the README; "
        "20 minutes or more).",
    )
    parser.add_argument(
        "--backend",
        choices=sorted(BACKENDS),
        help="The search engine of the index --sections builds (default: Whoosh).",
    )
    args = parser.parse_args()
    if args.sections is not None:
        if args.index is None:
            parser.error("--sections needs --index DIR, the folder to build the index in")
        if not holds_index(args.index):
            held = build_copies(args.index, args.sections, args.backend)
            print(f"{args.index}: {held:,} sections")
    with tempfile.TemporaryDirectory() as scratch:
        index = args.index
        corpus = "given index"
        if index is None:
            index = Path(scratch) / "index"
            ingest_paths([CORPUS_DIR / "text", CORPUS_DIR / "pdf"], index)
            corpus = "sample corpus (10 files)"
        result = {"corpus": corpus, **measure(index)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"{corpus} on {result['machine']}, load {result['load_average'][0]:.2f}")
    print(f"start to healthy          {result['start_to_healthy_s']:.2f} s")
    print(f"start to first page       {result['start_to_first_page_s']:.2f} s")
    print(f"start to home page ready  {result['start_to_home_page_s']:.2f} s")
    print(f"home page first render    {result['home_page_first_render_s']:.2f} s")
    print(f"home page again, warm     {result['home_page_warm_s']:.2f} s")
    print(
        f"query to rendered results p50 {result['query_to_render_p50_s']:.3f} s, "
        f"p95 {result['query_to_render_p95_s']:.3f} s over {result['queries']} queries"
    )


if __name__ == "__main__":
    main()
