"""Document type from the words CSP publications use in their titles, and from the
conventions of committee web pages and minutes (models/doctypes/committee_pages.json):
an agenda item's page that records the discussion is minutes, whatever the item is."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path

from ingest.model import DocType
from ingest.paths import MODELS_DIR

COMMITTEE_PAGES_FILE = MODELS_DIR / "doctypes" / "committee_pages.json"

# Order matters: the first pattern that matches a title wins, so the more specific
# phrases ("annual partnership plan") come before the words they contain ("annual").
# Welsh partnerships publish bilingually: each type's Welsh words follow its English
# ones, with the mutated first letters a title can carry ("ei Gynllun", "ein Hadroddiad").
TITLE_PATTERNS: list[tuple[DocType, re.Pattern[str]]] = [
    (
        DocType.STRATEGIC_ASSESSMENT,
        # A licensing authority's cumulative impact assessment is the evidence of crime
        # and disorder by area, as a partnership's strategic assessment is.
        re.compile(
            r"\bstrategic\s+(?:intelligence\s+)?assessment|\basesiad\s+strategol\b"
            r"|\bcumulative\s+impact\s+(?:area\s+)?(?:policy\s+)?assessment"
        ),
    ),
    (
        DocType.ACTION_PLAN,
        re.compile(
            r"\b(?:action|delivery|implementation)\s+plans?\b|\b[cg]ynllun(?:iau)?\s+gweithredu\b"
        ),
    ),
    (
        DocType.PARTNERSHIP_PLAN,
        re.compile(
            r"\b(?:[cg]ynllun|strategaeth)\s+diogelwch\s+cymunedol\b"
            r"|\b(?:(?:annual\s+)?partnership\s+plan|community\s+safety\s+(?:plan|strategy)"
            r"|crime\s+(?:and|&)\s+disorder\s+(?:reduction\s+)?strategy"
            r"|safer\s+(?:stronger\s+)?communit(?:y|ies)\s+(?:plan|strategy)"
            r"|crime\s+reduction\s+(?:plan|strategy)|community\s+safety\s+agreement"
            r"|(?:partnership|csp)\s+strategy|strategic\s+plan"
            # A partnership's stated priorities for a year are its plan ("Our Annual
            # Priorities 2019 to 2020"); a page's "Our priorities" is not.
            r"|(?:annual|key)\s+priorities(?=.*\b(?:19|20)\d{2}\b)"
            # "A Safer Lewisham Plan", "Safer Barnsley Partnership Annual Plan": a
            # partnership named "Safer <place>" and its plan, not a police and crime plan.
            r"|safer\s+(?:[\w'’&-]+\s+){1,4}?(?:partnership\s+)?(?:annual\s+)?(?<!crime\s)"
            r"(?:plan|strategy))\b"
            # "Safer Communities Strategy Board" names the body, not its strategy.
            r"(?!\s+(?:board|group|committee|panel|forum)\b)"
        ),
    ),
    (
        DocType.ANNUAL_REPORT,
        re.compile(
            r"\bannual\s+(?:report|review)\b|\byear\s+in\s+review\b"
            r"|\b(?:partnership|csp)\s+review\s+(?:19|20)\d{2}\b"
            r"|\b(?:adroddiad|hadroddiad)\s+blynyddol\b"
        ),
    ),
    # A council's quarterly performance report goes to its cabinet or a committee.
    (
        DocType.COMMITTEE_REPORT,
        re.compile(r"\bquarterly\s+performance\s+(?:monitoring\s+)?report\b"),
    ),
    (DocType.MINUTES, re.compile(r"\bminutes\b|\bcofnodion\b")),
    (DocType.PROSPECTUS, re.compile(r"\bprospectus\b|\binformation\s+brochure\b")),
    (DocType.AGENDA, re.compile(r"\bagenda\b(?!\s+(?:no|item|number)\b)")),
]

# "Report of/to/by" counts only where a line opens with it: "Annual Report of the
# Braintree CSP" is a title, "Report of the Strategic Director" a cover sheet.
COMMITTEE_REPORT_MARKERS = re.compile(
    r"^\s*report\s+(?:of|to|by|presented\s+by|prepared\s+by|author)\b"
    r"|\b(?:agenda\s+(?:no|item|number)\b|purpose\s+of\s+(?:the\s+|this\s+)?report"
    r"|recommended\s+decision|recommendations?\s+to\s+(?:the\s+)?(?:committee|cabinet|panel)"
    r"|wards?\s+affected|key\s+decision\b)",
    re.I,
)


def classify_title(title: str) -> tuple[DocType, str] | None:
    """The document type a title names, with the phrase that named it."""
    lowered = title.lower()
    for doc_type, pattern in TITLE_PATTERNS:
        match = pattern.search(lowered)
        if match:
            return doc_type, title[match.start() : match.end()]
    return None


def committee_report_marker(text: str) -> str | None:
    """The phrase that shows a block belongs to a committee report's cover sheet."""
    match = COMMITTEE_REPORT_MARKERS.search(text)
    return match.group(0) if match else report_phrase(text)


class CommitteePage(Enum):
    """The kinds of committee web page, by the line a page opens with."""

    ITEM = "item_page"
    MEETING = "meeting_page"
    DECISION = "decision_page"


@lru_cache(maxsize=2)
def committee_conventions(path: Path = COMMITTEE_PAGES_FILE) -> dict[str, re.Pattern[str]]:
    """Each list of the conventions file as one case-insensitive pattern."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        key: re.compile("|".join(f"(?:{pattern})" for pattern in patterns), re.I)
        for key, patterns in data.items()
        if not key.startswith("_")
    }


def committee_page(text: str) -> tuple[CommitteePage, str] | None:
    """The kind of committee page whose first line `text` is, with the item's title when
    the line carries it ("Agenda item - SSCB PARTNERSHIP PLAN")."""
    conventions = committee_conventions()
    stripped = text.strip()
    for kind in CommitteePage:
        match = conventions[kind.value].match(stripped)
        if match is None:
            continue
        rest = stripped[match.end() :]
        if not rest.strip():
            return kind, ""
        separated = re.match(r"\s*[-–—:]\s*(\S.*)$", rest)
        if separated:
            return kind, separated.group(1)
    return None


def minutes_label(text: str) -> bool:
    """A "Minutes:" field, alone or followed by the minute."""
    match = committee_conventions()["minutes_label"].match(text.strip())
    return bool(match and text.strip()[match.end() :].lstrip().startswith(":"))


def minutes_phrase(blocks: Sequence[str]) -> str | None:
    """The phrase that shows these opening lines record a meeting: a "Minutes:" field, the
    heading of minutes, or minutes' voice ("The Committee received a report")."""
    conventions = committee_conventions()
    for text in blocks:
        if minutes_label(text):
            return text.strip()[:40]
        heading = conventions["minutes_heading"].match(text.strip())
        if heading:
            return heading.group(0)
        voice = conventions["minute_voice"].search(text)
        if voice:
            return voice.group(0)
    return None


def report_phrase(text: str) -> str | None:
    """The phrase by which a report addresses the committee it goes to."""
    match = committee_conventions()["report_voice"].search(text)
    return match.group(0) if match else None
