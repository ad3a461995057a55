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

# The index folder's own folder of files uploaded through the app, kept as the sources of
# what the index holds.
UPLOADS_DIR = "uploads"

DEFAULT_HOME = Path("~/.local/share/csp-search").expanduser()


def printable_path(path: object) -> str:
    """A file name as it can be printed: a newline, a terminal escape code or another
    invisible character in it is shown escaped ("\\n", "\\x1b"), so a name can neither
    forge an output line nor drive the terminal."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in str(path))


def default_index_dir() -> Path:
    """$CSP_INDEX, else ~/.local/share/csp-search/index."""
    configured = os.environ.get("CSP_INDEX")
    return Path(configured).expanduser() if configured else DEFAULT_HOME / "index"
