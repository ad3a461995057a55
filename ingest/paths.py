"""Where the shipped data (models/, corpus/) and the default index live."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """models/ or corpus/: inside an installed wheel, else beside the package in the repo."""
    installed = PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / name


MODELS_DIR = data_dir("models")
CORPUS_DIR = data_dir("corpus")

DEFAULT_HOME = Path("~/.local/share/csp-search").expanduser()


def default_index_dir() -> Path:
    """$CSP_INDEX, else ~/.local/share/csp-search/index."""
    configured = os.environ.get("CSP_INDEX")
    return Path(configured).expanduser() if configured else DEFAULT_HOME / "index"
