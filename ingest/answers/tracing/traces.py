"""What tracing returns: a commitment's `Trace` with its `TraceEvidence`, and the CSV of
them (`csp trace --csv`, the app's download)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field


@dataclass
class TraceEvidence:
    """One later passage that reports on a commitment."""

    quote: str
    status: str
    score: float
    title: str
    doc_type: str
    period: str | None
    source: str
    page: int | None
    heading_path: list[str]
    section_id: str
    confidence: float = 0.0


@dataclass
class Trace:
    """A commitment, what became of it, and where that is said."""

    commitment_id: str
    text: str
    kind: str
    areas: list[str]
    year: int | None
    period: str | None
    owner: str | None
    timescale: str | None
    measure: str | None
    priority: str | None
    title: str
    doc_type: str
    source: str
    page: int | None
    heading_path: list[str]
    section_id: str
    status: str | None = None  # None until traced
    confidence: float = 0.0
    evidence: list[TraceEvidence] = field(default_factory=list)
    searched: list[dict] = field(default_factory=list)
    years_covered: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def traces_csv(traces: list[Trace]) -> str:
    """One row per commitment with its status and latest evidence."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "areas", "period", "kind", "commitment", "owner", "timescale", "priority",
            "status", "confidence", "evidence", "evidence_document", "evidence_period",
            "evidence_page", "source", "page", "documents_searched",
        ]
    )  # fmt: skip
    for trace in traces:
        latest = trace.evidence[-1] if trace.evidence else None
        writer.writerow(
            [
                "; ".join(trace.areas), trace.period, trace.kind, trace.text, trace.owner or "",
                trace.timescale or "", trace.priority or "", trace.status, trace.confidence,
                latest.quote if latest else "", latest.title if latest else "",
                latest.period if latest else "", latest.page if latest else "",
                trace.source, trace.page or "", len(trace.searched),
            ]
        )  # fmt: skip
    return out.getvalue()
