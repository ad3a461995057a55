"""Document type from the words CSP publications use in their titles."""

from __future__ import annotations

import re

from ingest.model import DocType

# Order matters: the first pattern that matches a title wins, so the more specific
# phrases ("annual partnership plan") come before the words they contain ("annual").
# Welsh partnerships publish bilingually: each type's Welsh words follow its English
# ones, with the mutated first letters a title can carry ("ei Gynllun", "ein Hadroddiad").
TITLE_PATTERNS: list[tuple[DocType, re.Pattern[str]]] = [
    (
        DocType.STRATEGIC_ASSESSMENT,
        re.compile(r"\bstrategic\s+(?:intelligence\s+)?assessment|\basesiad\s+strategol\b"),
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
            r"|(?:partnership|csp)\s+strategy|strategic\s+plan)\b"
        ),
    ),
    (
        DocType.ANNUAL_REPORT,
        re.compile(
            r"\bannual\s+(?:report|review)\b|\byear\s+in\s+review\b"
            r"|\b(?:adroddiad|hadroddiad)\s+blynyddol\b"
        ),
    ),
    (DocType.MINUTES, re.compile(r"\bminutes\b|\bcofnodion\b")),
    (DocType.PROSPECTUS, re.compile(r"\bprospectus\b")),
    (DocType.AGENDA, re.compile(r"\bagenda\b(?!\s+(?:no|item|number)\b)")),
]

# "Report of/to/by" counts only where a line opens with it: "Annual Report of the
# Braintree CSP" is a title, "Report of the Strategic Director" a cover sheet.
COMMITTEE_REPORT_MARKERS = re.compile(
    r"^\s*report\s+(?:of|to|by|presented\s+by|prepared\s+by|author)\b"
    r"|\b(?:agenda\s+(?:no|item|number)\b|purpose\s+of\s+(?:the\s+)?report"
    r"|recommended\s+decision|recommendations?\s+to\s+(?:the\s+)?(?:committee|cabinet|panel)"
    r"|wards?\s+affected|key\s+decision)",
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
    return match.group(0) if match else None
