"""Website chrome: the skip links, menus, banners and counters a copy of a web page keeps
around the publication's text.  The phrases are data (models/web/chrome.json); both the
HTML reader and the text reader (captured web text) drop such blocks before titles and
sections are made from them."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from ingest.paths import MODELS_DIR

CHROME_FILE = MODELS_DIR / "web" / "chrome.json"
COMMITTEE_PAGES_FILE = MODELS_DIR / "doctypes" / "committee_pages.json"
PAGE_HEADER_KEYS = ("item_page", "meeting_page", "decision_page")


@lru_cache(maxsize=2)
def chrome_patterns(path: Path = CHROME_FILE) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The whole-line pattern and the opening pattern of the chrome file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    lines = "|".join(f"(?:{pattern})" for pattern in data["lines"])
    openings = "|".join(f"(?:{pattern})" for pattern in data["openings"])
    return re.compile(rf"(?:{lines})\s*", re.I), re.compile(rf"(?:{openings})", re.I)


def is_web_chrome(text: str) -> bool:
    """True when a block, its spaces folded, is a line of website chrome."""
    whole, opening = chrome_patterns()
    stripped = text.strip()
    return bool(whole.fullmatch(stripped) or opening.match(stripped))


@lru_cache(maxsize=2)
def page_header_pattern(path: Path = COMMITTEE_PAGES_FILE) -> re.Pattern[str]:
    """The first lines of committee web pages ("Agenda item", "Issue - meetings")."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    headers = "|".join(f"(?:{pattern})" for key in PAGE_HEADER_KEYS for pattern in data[key])
    return re.compile(rf"(?:{headers})(?:\s*[-–—:]\s*\S.*)?", re.I)


@lru_cache(maxsize=2)
def record_label_pattern(path: Path = COMMITTEE_PAGES_FILE) -> re.Pattern[str]:
    """The "Minutes:" field under which a committee page gives its minute."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    labels = "|".join(f"(?:{pattern})" for pattern in data["minutes_label"])
    return re.compile(rf"(?:{labels})\s*:", re.I)


def is_record_label(text: str) -> bool:
    """A "Minutes:" line, which stands alone in captured web text."""
    return bool(record_label_pattern().fullmatch(text.strip()))


def is_page_header(text: str) -> bool:
    """A committee page's header line, which stands alone in captured web text, as does
    the item's title on the line under it."""
    return bool(page_header_pattern().fullmatch(text.strip()))
