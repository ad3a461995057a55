"""The real app and a real Chromium for the browser tests: Debian's chromium driven by
Playwright's Python package (browser downloads are not possible here; scripts/setup.sh
installs it).  The `server` and `browser` fixtures in conftest.py start them once a
module.

CSP_APP_CHECKOUT=/path/to/another/checkout serves that checkout's app instead, on the
sample corpus as that checkout's own code ingests it (every app a test starts serves a
fresh copy of it): how docs/app-acceptance.md shows each browser test failing on the app
as it was before the change it tests."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHECKOUT = Path(os.environ["CSP_APP_CHECKOUT"]) if os.environ.get("CSP_APP_CHECKOUT") else None
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


# Nothing left to draw: no placeholder of an element still loading, no "running" icon.
SETTLED = """() => !document.querySelector('[data-testid=stSkeleton], '
    + '[data-testid=stStatusWidgetRunningIcon], [data-testid=stStatusWidgetRunningManIcon]')"""


def screenshot(page, name: str, full_page: bool = False) -> None:
    """The page in tests/screenshots/`name` (docs/screenshots are copied from there),
    once it has drawn everything, or after 30 s: a picture, not an assertion."""
    from playwright.sync_api import TimeoutError as StillDrawing

    with suppress(StillDrawing):
        page.wait_for_function(SETTLED, timeout=30_000)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def checkout_env(checkout: Path) -> dict[str, str]:
    """This environment with `checkout`'s own code first on the path."""
    return {**os.environ, "PYTHONPATH": str(checkout)}


@cache
def checkout_corpus_index(checkout: Path) -> Path:
    """The sample corpus of `checkout`, ingested by `checkout`'s own `csp ingest`."""
    folder = tempfile.mkdtemp(prefix="csp-checkout-index-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    index = Path(folder) / "index"
    sources = (
        ["--sources", "corpus/sources.csv"] if (checkout / "corpus/sources.csv").exists() else []
    )
    command = [sys.executable, "-m", "ingest.cli", "ingest", "corpus/text", "corpus/pdf"]
    subprocess.run(
        [*command, *sources, "--index", str(index), "--silent"],
        cwd=checkout,
        env=checkout_env(checkout),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return index


@contextmanager
def running_app(index: Path) -> Iterator[str]:
    """The real app served by `streamlit run` on `index` (or, with CSP_APP_CHECKOUT, that
    checkout's app on a copy of its own index of the sample corpus); yields its URL."""
    if CHECKOUT is None:
        with serving(ROOT, dict(os.environ), index) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="csp-checkout-app-") as scratch:
        copy = Path(scratch) / "index"
        shutil.copytree(checkout_corpus_index(CHECKOUT), copy)
        with serving(CHECKOUT, checkout_env(CHECKOUT), copy) as url:
            yield url


@contextmanager
def serving(root: Path, env: dict[str, str], index: Path) -> Iterator[str]:
    """`root`'s search_app.py served by `streamlit run` on `index`; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(root / "search_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        env={**env, "CSP_INDEX": str(index)},
        cwd=root,
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
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
