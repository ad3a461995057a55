"""End to end: the real Streamlit server on the sample corpus, in headless Chromium.

Debian's chromium is driven by Playwright's Python package (browser downloads are not
possible here); scripts/setup.sh installs it.  Screenshots go to tests/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(corpus_index: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "search_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        env={**os.environ, "CSP_INDEX": str(corpus_index)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the app did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_searching_j9_shows_braintree_colchester_and_rochford(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=J9")
    page.get_by_text("passages from").wait_for(timeout=30_000)
    page.locator("h2", has_text="Rochford").first.wait_for(timeout=30_000)
    groups = page.locator("h2").all_inner_texts()
    assert {"Braintree", "Colchester", "Rochford"} <= {text.strip() for text in groups}
    assert page.get_by_text("'J9' Domestic Abuse training").first.is_visible()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-j9.png"))
    page.close()


def test_typing_a_query_puts_it_in_the_url(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server)
    box = page.get_by_role("textbox", name="Search")
    box.fill("Spot It Stop It")
    box.press("Enter")
    page.get_by_text("passages from").wait_for(timeout=30_000)
    page.wait_for_function("() => window.location.search.includes('Spot')", timeout=10_000)
    assert "q=Spot" in page.url
    page.close()


def test_opening_a_pdf_hit_shows_the_page_image(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1500})
    page.goto(f"{server}/?q=%22J9+logo%22")
    page.get_by_text("Open page 5").first.wait_for(timeout=30_000)
    page.get_by_text("Open page 5").first.click()
    image = page.locator("img[src*='media']").first
    image.wait_for(timeout=30_000)
    assert image.bounding_box()["width"] > 400
    image.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "open-pdf-page.png"))
    page.close()


def test_documents_page_lists_every_document(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/documents")
    page.get_by_text("documents from 10 files").wait_for(timeout=30_000)
    assert page.get_by_text("0 files failed").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "documents.png"))
    page.close()


def test_the_spot_it_stop_it_page_shows_its_matrix(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/entities?entity=Spot+It+Stop+It")
    table = page.locator("table").first
    table.wait_for(timeout=30_000)
    rows = table.locator("tbody th").all_inner_texts()
    assert {"Braintree", "Colchester"} <= {row.strip() for row in rows}
    assert "2019-20" in table.locator("thead").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "entity-spot-it-stop-it.png"))
    page.close()


def test_the_compare_page_shows_braintree_priorities_by_year(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{server}/compare?district=Braintree&year=2017&year=2018")
    table = page.locator("table").first
    table.wait_for(timeout=30_000)
    header = table.locator("thead").inner_text()
    assert "Braintree 2017-18" in header and "Braintree 2018-19" in header
    assert "Tackle the trafficking of drugs in the community" in table.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "compare-braintree.png"))
    page.close()
