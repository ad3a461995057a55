"""What tracing returns: a commitment's `Trace` with its `TraceEvidence`, and the CSV of
them (`csp trace --csv`, the app's download)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class TraceEvidence:
    """One later passage that reports on a commitment."""

    quote: str
    status: str  # as shown: `reading`, or "unclear" where that is weak evidence of delivery
    score: float
    title: str
    doc_type: str
    period: str | None
    source: str
    page: int | None
    heading_path: list[str]
    section_id: str
    confidence: float = 0.0
    reading: str = ""  # the status the sentence's words and document say


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
    # Where the document's file came from (the catalog's provenance), and its readable name.
    source_url: str | None = None
    file_name: str = ""

    def to_dict(self) -> dict:
        return asdict(self)
