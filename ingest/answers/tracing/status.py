"""What became of a commitment: its status and confidence, from its evidence.

The status comes from the latest evidence, later documents taken in the order they were
written (an annual report after the minutes of its own year): "carried forward" where a
later commitment or a later plan states it again, "delivered" where the commitment was
itself to stop or change something and the evidence reports the change, else the first
status in models/commitments/status_cues.json whose cue words the evidence sentence uses;
without a cue, "delivered" in an annual report and "in progress" elsewhere, with less
confidence.  Evidence of delivery below `delivered_confidence` is shown as "unclear"
(`weighed`), the status its words say kept as its `reading`.  Without evidence the
status is "no later mention found", listing the later documents searched and the years
they cover; where the index holds no later document for that CSP it is "no later
documents", since absence can only be claimed over years the index covers.

Confidence is the evidence's score (0 to 1), less where no cue word gave the status; for
"no later mention found" it is half for having looked plus half the share of the years
from the commitment's on that the later documents cover; "no later documents" is certain.
"""

from __future__ import annotations

import re

from ingest.answers.tracing.cues import cue_pattern, load_status_cues
from ingest.answers.tracing.traces import Trace
from ingest.answers.tracing.tuning import TUNING
from ingest.model import TRACE_STATUSES, DocType, Document, Section

(
    DELIVERED,
    IN_PROGRESS,
    CARRIED_FORWARD,
    CHANGED,
    UNCLEAR,
    NO_LATER_MENTION,
    NO_LATER_DOCUMENTS,
) = TRACE_STATUSES

PLAN_TYPES = {DocType.ACTION_PLAN, DocType.PARTNERSHIP_PLAN, DocType.STRATEGIC_ASSESSMENT}

# "40 of the district's 41 schools": a count of part of a whole.
PART_OF_A_WHOLE = re.compile(
    r"\b(\d[\d,]*) (?:out )?of (?:the |its |their |our )?(?:\w+'s )?(\d[\d,]*)\b"
)


def status_of(
    sentence: str, document: Document, restates: bool, commitment_text: str = ""
) -> tuple[str, bool]:
    """What the sentence says became of the commitment (see the module docstring), and
    whether a cue word said so.  A later commitment restating it (`restates`: "we will
    pilot it in 2021-22, after the pilot planned for 2019-20 was postponed") carries it
    forward; so does a later plan, unless its words say it changed."""
    cues = load_status_cues()
    changed = cues[CHANGED].search(sentence)
    if changed and cues[CHANGED].search(commitment_text):
        # What was resolved was itself a stop or a change ("RESOLVED that the group be
        # stood down"): a later "was stood down" reports it done.
        return DELIVERED, True
    if restates or (document.doc_type in PLAN_TYPES and not changed):
        return CARRIED_FORWARD, True
    if changed and cue_pattern("rescheduled_cues").search(sentence):
        return IN_PROGRESS, True  # "deferred because of the pandemic and now scheduled"
    status, cued = next(
        ((status, True) for status, pattern in cues.items() if pattern.search(sentence)),
        (DELIVERED if document.doc_type == DocType.ANNUAL_REPORT else IN_PROGRESS, False),
    )
    if status == DELIVERED and is_part_of_a_whole(sentence):
        return IN_PROGRESS, True  # "reached 40 of the district's 41 schools"
    return status, cued


def weighed(status: str, confidence: float) -> str:
    """The status shown for evidence read as `status` with `confidence`: "unclear" for
    weak evidence of delivery (`delivered_confidence`), which overclaims more often than
    not; the other readings stand."""
    return UNCLEAR if status == DELIVERED and confidence < TUNING.delivered_confidence else status


def evidence_confidence(score: float, cued: bool) -> float:
    """How sure the status an evidence sentence gives is: its score, less where no cue
    word gave the status."""
    return round(min(1.0, score) * (1.0 if cued else TUNING.no_cue_confidence), 2)


def is_part_of_a_whole(sentence: str) -> bool:
    """Whether the sentence counts some of a whole ("40 of the 41 schools"): a report of
    part done."""
    return any(
        int(part.replace(",", "")) < int(whole.replace(",", ""))
        for part, whole in PART_OF_A_WHOLE.findall(sentence)
    )


def restated(document: Document, section: Section, offset: int) -> bool:
    """Whether the sentence at `offset` of the section is itself one of the document's
    commitments."""
    return any(
        c.section_id == section.section_id and c.start <= offset < max(c.end, c.start + 1)
        for c in document.commitments
    )


def settle(trace: Trace, year: int, later: list[Document]) -> None:
    """The status and confidence of a commitment made for `year` from its evidence in the
    `later` documents (see the module docstring)."""
    if not trace.evidence:
        trace.status = NO_LATER_MENTION
        trace.confidence = absence_confidence(year, later)
        return
    latest = trace.evidence[-1]
    trace.status, trace.confidence = latest.status, latest.confidence


def absence_confidence(year: int, later: list[Document]) -> float:
    """How sure "no later mention" is: half for having looked at all, the other half for
    the share of the years from the commitment's to the latest document's that the later
    documents cover (a missing annual report for the year itself lowers it)."""
    latest = max((d.year_to or d.year_from or year) for d in later)
    span = range(year, max(latest, year) + 1)
    covered = {
        y for d in later for y in range(d.year_from or year, (d.year_to or d.year_from or year) + 1)
    }
    share = len(covered & set(span)) / len(span)
    return round(0.5 + 0.5 * share, 2)
