"""What later documents say became of each commitment.

For a commitment of a CSP made for financial year Y, the later documents are that CSP's
documents for a later year, and its reports (annual reports, committee reports,
minutes) covering Y itself (a 2018-19 annual report reports on the 2018-19 action
plan).  Of a near-duplicate cluster (a report inside an agenda pack and on its own, a
PDF and its text twin) one member is read: the one with page numbers.

Candidate passages come from the search index (any of the commitment's most telling
words, in the later documents) and from the catalog's mentions (passages naming an
initiative the commitment names) and, for statements of intent and priorities, from
the later documents' stated priorities on the same themes.  Each sentence of a candidate
passage is scored by how much of the commitment's wording it shares, weighted by how
rare each word is in the index, with a bonus for a shared initiative (named in the
sentence, or the heading above it) and rapidfuzz's token-set ratio; the best sentence of
each later document above LINK_THRESHOLD is evidence.  A sentence found for several rows
of one plan is evidence only for the row (or tied rows) it fits best: rows on one theme
share its words, a report on one activity is about one of them; every row of a selected
row's plan is traced, so filters do not change which row that is.

The wording is what is to be done: not the lead partner, the owner or the dates (nor,
in a name cell that also holds them, the lead's team and timescale after its name),
and, where the initiative is named, an action row's description cell counts as well as
its name.  An initiative is named where the entity stage tagged it or where its name
is written (any case for a name of two words or more, "closure orders"; a capitalised
one-word name, "Firebreak", only in the commitment, where it asks more of the
evidence); a commitment naming one needs evidence that names it, unless the sentence
restates most of the rest of the commitment ("following the Cardiff Model"), and
evidence naming it must also share a word of what was to be done beyond its name (the
Community Trigger's statistics do not report on a Community Trigger awareness
campaign).  A priority restated by a later list of priorities may be a short item
("Hate crime and community cohesion").  A sentence repeating
one of an action row's own description sentences (a later appendix restating the plan)
counts as naming it.  Without a named initiative a sentence must share one of the
commitment's rarer words, and more than its theme words (the models/themes keywords it
uses: "Hate Crime" of "Hate Crime Awareness Sessions" is a topic, not an activity).  Not
evidence: heading-like lines, a later document's own stated priorities (for an action),
a passage of a county pack attributed to other districts, and what minutes record a
meeting asked or was told (for anything but the meeting's own undertakings).
models/dev is the set these rules are tuned on (`csp eval --set dev`); models/eval only
reports the result.

The status comes from the latest evidence, later documents taken in the order they were
written (an annual report after the minutes of its own year): "carried forward" where a
later commitment or a later plan states it again, "delivered" where the commitment was
itself to stop or change something and the evidence reports the change, else the first
status in models/commitments/status_cues.json whose cue words the evidence sentence uses;
without a cue, "delivered" in an annual report and "in progress" elsewhere, with less
confidence.  Without evidence the status is "no later mention
found", listing the later documents searched and the years they cover; where the index
holds no later document for that CSP it is "no later documents", since absence can only
be claimed over years the index covers.

Confidence is the evidence's score (0 to 1), less where no cue word gave the status; for
"no later mention found" it is half for having looked plus half the share of the years
from the commitment's on that the later documents cover; "no later documents" is certain.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ingest.answers.queries import open_catalog, open_index, parse_year, resolve_district
from ingest.errors import FilterError
from ingest.model import TRACE_STATUSES, Commitment, DocType, Document, Section, fy_label
from ingest.nlp.commitments import phrases, sentences_of
from ingest.nlp.linking import normalise
from ingest.nlp.themes import theme_phrases, themes_of
from ingest.paths import MODELS_DIR
from ingest.search.backend import SearchBackend
from ingest.store.store import CATALOG_FILE

STATUS_CUES_FILE = MODELS_DIR / "commitments" / "status_cues.json"

DELIVERED, IN_PROGRESS, CARRIED_FORWARD, CHANGED, NO_LATER_MENTION, NO_LATER_DOCUMENTS = (
    TRACE_STATUSES
)

REPORTING_TYPES = {DocType.ANNUAL_REPORT, DocType.COMMITTEE_REPORT, DocType.MINUTES}
PLAN_TYPES = {DocType.ACTION_PLAN, DocType.PARTNERSHIP_PLAN, DocType.STRATEGIC_ASSESSMENT}

# Scores are in 0..1.  A link needs about half of the commitment's weighted wording, or a
# shared initiative and some of its wording.
LINK_THRESHOLD = 0.45
ENTITY_BONUS = 0.3
# A later stated priority on all of a statement's themes restates it: a link by itself.
PRIORITY_BONUS = LINK_THRESHOLD
STRATEGIC_KINDS = {"we_will", "next_year_priority"}
# Undertakings made at a meeting, which a later meeting's record can report on.
MEETING_KINDS = {"resolution", "minutes_action"}
WORDING_WEIGHT = 0.8
FUZZY_WEIGHT = 0.1
NO_CUE_CONFIDENCE = 0.8
# A sentence sharing one word with a short commitment ("drugs") is not about it.
MIN_SHARED_WORDS = 2
# Shorter lines are headings and list labels ("Protect the vulnerable"), not reports.
MIN_EVIDENCE_WORDS = 6
#: The weighted share, and the number, of a commitment's words beyond its initiative's
#: name that a sentence must use to report on it without naming the initiative.
NAMELESS_SHARE = 0.5
NAMELESS_WORDS = 3
# A sentence must share one of the rarer third of the commitment's words: "Parent
# Engagement Event" is not reported on by a road-safety "community engagement event".
KEY_WORD_SHARE = 1 / 3
# A later sentence that repeats one of an action row's own description sentences (rapidfuzz
# ratio of the normalised texts) reports on that row, named initiative or not.
ROW_RESTATED_MATCH = 90
# Lower-case words that join the parts of a name ("Stop the Traffik & Gangmasters").
NAME_JOINERS = frozenset({"and", "of", "the", "for"})
QUERY_WORDS = 8
CANDIDATE_SECTIONS = 40
MIN_WORD_LENGTH = 3

WORD = re.compile(r"[a-z][a-z0-9]+")
ASIDE = re.compile(r"\([^)]*\)")
# "40 of the district's 41 schools": a count of part of a whole.
PART_OF_A_WHOLE = re.compile(
    r"\b(\d[\d,]*) (?:out )?of (?:the |its |their |our )?(?:\w+'s )?(\d[\d,]*)\b"
)


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


@lru_cache(maxsize=2)
def load_status_cues(path: Path = STATUS_CUES_FILE) -> dict[str, re.Pattern[str]]:
    """Each status's cue words as one whole-word pattern, in the file's order."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        status: re.compile(rf"\b(?:{phrases(cues)})\b", re.I)
        for status, cues in data.items()
        if status in TRACE_STATUSES
    }


@lru_cache(maxsize=2)
def ignored_words(path: Path = STATUS_CUES_FILE) -> frozenset[str]:
    """Words too common in plans and reports to link a commitment to a passage."""
    return frozenset(json.loads(Path(path).read_text(encoding="utf-8"))["ignore_words"])


def discussion_cues() -> re.Pattern[str]:
    """Words by which minutes record what a meeting asked or was told."""
    return cue_pattern("discussion_cues")


@lru_cache(maxsize=4)
def cue_pattern(key: str, path: Path = STATUS_CUES_FILE) -> re.Pattern[str]:
    """One list of the cue file's phrases as a whole-word pattern."""
    cues = json.loads(Path(path).read_text(encoding="utf-8"))[key]
    return re.compile(rf"\b(?:{phrases(cues)})\b", re.I)


def stem(word: str) -> str:
    """A crude stem so "delivered", "delivering" and "delivers" meet "deliver"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    ignored = ignored_words()
    return {
        stem(word)
        for word in WORD.findall(text.lower())
        if len(word) >= MIN_WORD_LENGTH and word not in ignored
    }


@dataclass
class Library:
    """The catalog read once for tracing: preferred documents, sections, word weights."""

    documents: dict[str, Document]
    sections: dict[str, Section]
    section_document: dict[str, str]
    cluster_of: dict[str, str]
    weights: dict[str, float]
    default_weight: float
    mention_sections: dict[str, set[str]]  # initiative key -> section ids

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.default_weight)

    def areas_of(self, commitment: Commitment, document: Document) -> list[str]:
        section = self.sections.get(commitment.section_id)
        return (section.districts if section and section.districts else None) or document.districts


def load_library(index_dir: Path) -> Library:
    """The catalog as tracing reads it, read again only when the catalog has changed
    (the app re-runs its page on every click)."""
    catalog_file = Path(index_dir) / CATALOG_FILE
    changed = [
        path.stat().st_mtime_ns
        for path in (catalog_file, catalog_file.with_name(catalog_file.name + "-wal"))
        if path.exists()
    ]
    return read_library(Path(index_dir).resolve(), tuple(changed))


@lru_cache(maxsize=2)
def read_library(index_dir: Path, changed: tuple[int, ...]) -> Library:
    """The library of `index_dir` as of the catalog's modification times `changed`."""
    catalog = open_catalog(index_dir)
    try:
        documents = catalog.documents(with_sections=True)
        cluster_of = catalog.cluster_ids()
    finally:
        catalog.close()
    preferred = preferred_members(documents, cluster_of)
    kept = {document.doc_id: document for document in documents if document.doc_id in preferred}
    sections = {s.section_id: s for d in kept.values() for s in d.sections}
    section_document = {s.section_id: d.doc_id for d in kept.values() for s in d.sections}
    frequency: Counter[str] = Counter()
    for section in sections.values():
        frequency.update(content_words(section.text))
    total = max(len(sections), 1)
    weights = {word: math.log(1 + total / count) for word, count in frequency.items()}
    mention_sections: dict[str, set[str]] = defaultdict(set)
    for section in sections.values():
        for mention in section.mentions:
            if mention.label == "INITIATIVE":
                mention_sections[normalise(mention.canonical)].add(section.section_id)
    return Library(
        documents=kept,
        sections=sections,
        section_document=section_document,
        cluster_of=cluster_of,
        weights=weights,
        default_weight=math.log(1 + total),
        mention_sections=mention_sections,
    )


def preferred_members(documents: list[Document], cluster_of: dict[str, str]) -> set[str]:
    """One document per near-duplicate cluster: the first with page numbers, else the
    first; its commitments and passages stand for the whole cluster."""
    chosen: dict[str, Document] = {}
    for document in documents:
        cluster = cluster_of.get(document.doc_id, document.doc_id)
        current = chosen.get(cluster)
        if current is None or (current.page_start is None and document.page_start is not None):
            chosen[cluster] = document
    return {document.doc_id for document in chosen.values()}


def later_documents(
    library: Library, document: Document, areas: list[str], year: int
) -> list[Document]:
    """The CSP's documents for a year after the source document's, and its reports
    covering the commitment's `year`, in the order they were written (`written_after`)."""
    written = document.year_from if document.year_from is not None else year
    later = []
    for other in library.documents.values():
        if other.doc_id == document.doc_id or other.year_from is None:
            continue
        if not set(other.districts) & set(areas):
            continue
        last = other.year_to if other.year_to is not None else other.year_from
        covers = other.year_from <= year <= last and other.doc_type in REPORTING_TYPES
        if other.year_from > written or covers:
            later.append(other)
    return sorted(later, key=lambda d: (written_after(d), d.source, d.part))


def written_after(document: Document) -> float:
    """When a document was written, as a financial year: an annual report looks back on
    the years it covers, so it comes after the minutes, committee reports and plans of
    its last year; the others are written during or at the start of their first."""
    if document.doc_type == DocType.ANNUAL_REPORT:
        return (document.year_to or document.year_from or 0) + 0.5
    return document.year_from or 0


def selected_commitments(
    library: Library, area: str | None, first: int | None, last: int | None
) -> Iterator[tuple[Document, Commitment, int, list[str]]]:
    """The commitments of CSP `area` (all CSPs without one) made for a financial year from
    `first` to `last`, each with its document, year and areas, in document order."""
    for document in sorted(library.documents.values(), key=lambda d: (d.source, d.part)):
        for commitment in document.commitments:
            year = commitment.year if commitment.year is not None else document.year_from
            areas = library.areas_of(commitment, document)
            if area is not None and area not in areas:
                continue
            if year is None or (first is not None and year < first):
                continue
            if last is not None and year > last:
                continue
            yield document, commitment, year, areas


def list_commitments(
    index_dir: Path, district: str | None = None, year: str | None = None
) -> list[Trace]:
    """The commitments made for a CSP and financial year, untraced (`csp commitments`)."""
    area = resolve_district(district) if district else None
    first, last = parse_year(year, "--year") if year else (None, None)
    library = load_library(index_dir)
    return [
        describe(library, document, commitment, made_for, areas)
        for document, commitment, made_for, areas in selected_commitments(
            library, area, first, last
        )
    ]


def trace_commitments(
    index_dir: Path,
    district: str | None = None,
    year_from: str | None = None,
    year_to: str | None = None,
    status: str | None = None,
) -> list[Trace]:
    """Every commitment of the CSP (all CSPs without `district`) made for a financial
    year in the range, with its status and evidence; only those with `status` if given."""
    area = resolve_district(district) if district else None
    first = parse_year(year_from, "--from")[0] if year_from else None
    last = parse_year(year_to, "--to")[1] if year_to else None
    if first is not None and last is not None and first > last:
        raise FilterError(f"--from {first} is after --to {last}")
    library = load_library(index_dir)
    index = open_index(index_dir)
    selection = list(selected_commitments(library, area, first, last))
    plans = {document.doc_id for document, c, _, _ in selection if c.kind == "action_row"}
    # Every row of those plans is traced, selected or not, so that which row a shared
    # sentence goes to does not depend on the filters.
    rows = [
        made
        for made in selected_commitments(library, None, None, None)
        if made[0].doc_id in plans and made[1].kind == "action_row"
    ]
    traced: dict[str, tuple[Document, int, list[str], Trace]] = {}
    for document, commitment, year, areas in selection + rows:
        if commitment.commitment_id not in traced:
            trace = trace_one(library, index, document, commitment, year, areas)
            traced[commitment.commitment_id] = (document, year, areas, trace)
    give_shared_evidence_to_best_rows(library, list(traced.values()))
    chosen = [traced[commitment.commitment_id][3] for _, commitment, _, _ in selection]
    return [trace for trace in chosen if status is None or trace.status == status]


def give_shared_evidence_to_best_rows(
    library: Library, traced: list[tuple[Document, int, list[str], Trace]]
) -> None:
    """A later sentence found for several rows of one plan reports on the row it fits
    best (equal scores all keep it): a plan's rows on one theme all share its words, but a
    report on one activity is about one of them ("trained 80 Hate Crime Ambassadors" is
    the Ambassadors' sessions, not the hate crime awareness sessions)."""
    best: dict[tuple[str, str, str], float] = defaultdict(float)
    for document, _, _, trace in traced:
        if trace.kind == "action_row":
            for evidence in trace.evidence:
                key = (document.doc_id, evidence.section_id, evidence.quote)
                best[key] = max(best[key], evidence.score)
    for document, year, areas, trace in traced:
        if trace.kind != "action_row":
            continue
        kept = [
            evidence
            for evidence in trace.evidence
            if evidence.score >= best[(document.doc_id, evidence.section_id, evidence.quote)]
        ]
        if len(kept) < len(trace.evidence):
            trace.evidence = kept
            settle(trace, year, later_documents(library, document, areas, year))


def describe(
    library: Library, document: Document, commitment: Commitment, year: int, areas: list[str]
) -> Trace:
    """A commitment with where it was made, before tracing."""
    section = library.sections[commitment.section_id]
    return Trace(
        commitment_id=commitment.commitment_id,
        text=commitment.text,
        kind=commitment.kind,
        areas=areas,
        year=year,
        period=fy_label(year),
        owner=commitment.owner,
        timescale=commitment.timescale,
        measure=commitment.measure,
        priority=commitment.priority,
        title=document.title,
        doc_type=document.doc_type.value,
        source=document.source,
        page=commitment.page,
        heading_path=section.heading_path,
        section_id=section.section_id,
    )


def trace_one(
    library: Library,
    index: SearchBackend,
    document: Document,
    commitment: Commitment,
    year: int,
    areas: list[str],
) -> Trace:
    """The commitment with its status, evidence and the later documents searched."""
    trace = describe(library, document, commitment, year, areas)
    section = library.sections[commitment.section_id]
    later = later_documents(library, document, areas, year)
    trace.searched = [
        {"title": d.title, "doc_type": d.doc_type.value, "period": d.period, "source": d.source}
        for d in later
    ]
    trace.years_covered = sorted(
        {fy_label(y) for d in later for y in range(d.year_from, (d.year_to or d.year_from) + 1)}
    )
    if not later:
        trace.status, trace.confidence = NO_LATER_DOCUMENTS, 1.0
        return trace
    trace.evidence = find_evidence(library, index, commitment, section, year, later, areas)
    settle(trace, year, later)
    return trace


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


def find_evidence(
    library: Library,
    index: SearchBackend,
    commitment: Commitment,
    section: Section,
    year: int,
    later: list[Document],
    areas: list[str],
) -> list[TraceEvidence]:
    """The best sentence of each later document that reports on the commitment."""
    words = action_words(commitment, section)
    if not words:
        return []
    total = sum(library.weight(word) for word in words)
    initiatives = initiatives_in(commitment, section)
    names = initiative_names(section, initiatives)
    # A commitment about a named initiative is reported on where that initiative is named.
    named_in_text = initiatives_in(commitment, section, whole_row=False) | {
        key for key in initiatives if uses_name(commitment.text, initiative_names(section, {key}))
    }
    descriptions = row_descriptions(commitment, section)
    row = [cell for cell in map(content_words, descriptions) if len(cell) >= MIN_SHARED_WORDS]
    # Words of the commitment that only say its theme ("Hate Crime" of "Hate Crime
    # Awareness Sessions"): sharing them is sharing a topic, not an activity.
    theme_words = content_words(" ".join(theme_phrases(commitment.text))) & words
    # What is to be done with the initiative, beyond its name and any aside in brackets:
    # "Run a Community Trigger awareness campaign" is not reported on by the Trigger's
    # own statistics.
    beyond_name = (
        words
        & content_words(ASIDE.sub(" ", commitment.text))
        - content_words(" ".join(names))
        - theme_words
    )
    telling = sorted(words, key=lambda word: (-library.weight(word), word))[:QUERY_WORDS]
    key_words = set(telling[: max(1, round(len(words) * KEY_WORD_SHARE))])
    # The index stems its own way: query the words as written, not our stems.
    written = {stem(word): word for word in WORD.findall(commitment.text.lower())}
    query_words = [written.get(word, word) for word in telling]
    later_ids = [d.doc_id for d in later]
    candidates = {
        section_id
        for section_id, _ in index.sections_matching_any(query_words, later_ids, CANDIDATE_SECTIONS)
    }
    restating = later_priorities(commitment, year, later)
    candidates |= set(restating)
    later_set = set(later_ids)
    for key in initiatives:
        candidates |= {
            s
            for s in library.mention_sections.get(key, set())
            if library.section_document[s] in later_set
        }
    best: dict[str, TraceEvidence] = {}
    for candidate_id in sorted(candidates):
        candidate = library.sections.get(candidate_id)
        if candidate is None:
            continue
        # A county pack's passage about another district does not report on this CSP's work.
        if candidate.districts and not set(candidate.districts) & set(areas):
            continue
        document = library.documents[library.section_document[candidate_id]]
        stated = stated_priorities(document, commitment)
        restated_here = restating.get(candidate_id, ())
        short_items = restated_here if commitment.kind == "next_year_priority" else ()
        for start, sentence, heading in sentences_in(candidate, short_items):
            restates_priority = any(text in sentence for text in restated_here)
            # A priority list's items are short ("Hate crime and community cohesion").
            if (
                len(sentence.split()) < MIN_EVIDENCE_WORDS and sentence not in short_items
            ) or sentence in stated:
                continue
            if discussed(sentence, document, commitment):
                continue
            heading_words = content_words(heading)
            sentence_words = content_words(sentence)
            own = sentence_words & words
            named = entity_bonus(
                candidate, initiatives, names, start, len(sentence), heading, sentence
            )
            restates_description = restates_row(sentence, descriptions)
            entity = max(
                named,
                PRIORITY_BONUS if restates_priority else 0.0,
                ENTITY_BONUS if restates_description else 0.0,
            )
            by_name_only = bool(named) and not (restates_priority or restates_description)
            shared_with_heading = (sentence_words | heading_words) & words
            if not entity and (
                len(own) < min(MIN_SHARED_WORDS, len(words))
                or not shared_with_heading & key_words
                or (words - theme_words and shared_with_heading <= theme_words)
            ):
                continue
            shared = own | (heading_words & words)
            wording = sum(library.weight(word) for word in shared) / total
            # A sentence restating most of what was to be done need not name the
            # initiative it was to be done with ("following the Cardiff Model").
            action_shared = shared & beyond_name
            restates_action = (
                len(action_shared) >= NAMELESS_WORDS
                and share(library, beyond_name, shared) >= NAMELESS_SHARE
            )
            if (
                named_in_text
                and not restates_action
                and not entity_bonus(
                    candidate, named_in_text, names, start, len(sentence), heading, sentence
                )
            ):
                continue
            if by_name_only and beyond_name and not action_shared:
                continue
            if entity:
                # Where the initiative is named, the row's description of it says what
                # was to be done as well as the name does.
                wording = max([wording] + [share(library, cell, sentence_words) for cell in row])
            fuzzy = fuzz.token_set_ratio(commitment.text.lower(), sentence.lower()) / 100
            score = WORDING_WEIGHT * wording + FUZZY_WEIGHT * fuzzy + entity
            if score < LINK_THRESHOLD:
                continue
            held = best.get(document.doc_id)
            if held is None or score > held.score:
                restates = restated(document, candidate, start)
                status, cued = status_of(sentence, document, restates, commitment.text)
                best[document.doc_id] = TraceEvidence(
                    quote=sentence,
                    status=status,
                    score=round(score, 3),
                    confidence=round(min(1.0, score) * (1.0 if cued else NO_CUE_CONFIDENCE), 2),
                    title=document.title,
                    doc_type=document.doc_type.value,
                    period=document.period,
                    source=document.source,
                    page=page_of(candidate, start),
                    heading_path=candidate.heading_path,
                    section_id=candidate_id,
                )
    order = {d.doc_id: n for n, d in enumerate(later)}
    return sorted(best.values(), key=lambda e: order[library.section_document[e.section_id]])


def action_words(commitment: Commitment, section: Section) -> set[str]:
    """The commitment's content words less those saying who leads it and when (its
    owner, timescale and the partners it names): a later sentence sharing only "Essex
    Police" is not about the same action.  All its words where nothing else is left."""
    words = content_words(commitment.text)
    partners = [
        m
        for m in section.mentions
        if m.label == "PARTNER" and commitment.start <= m.start < commitment.end
    ]
    who = " ".join(
        [commitment.owner or "", commitment.timescale or "", *(m.text for m in partners)]
    )
    if partners and commitment.kind == "action_row" and commitment.owner is None:
        # A name cell that also holds the lead and dates ("Closure Orders Colchester
        # Borough Homes BAU Ongoing"): what follows the lead's name, in capitals and
        # figures only, is its team and the timescale.
        tail = section.text[min(m.start for m in partners) : commitment.end]
        if all(
            word[0].isupper() or not word[0].isalpha() or word in NAME_JOINERS
            for word in tail.split()
        ):
            who += " " + tail
    return (words - content_words(who)) or words


def row_descriptions(commitment: Commitment, section: Section) -> list[str]:
    """For an action-plan row, each sentence of its other cells (a row may name only the
    initiative and describe it in the next cell)."""
    if commitment.kind != "action_row":
        return []
    line_start = section.text.rfind("\n", 0, commitment.start) + 1
    line_end = section.text.find("\n", commitment.end)
    line = section.text[line_start : len(section.text) if line_end < 0 else line_end]
    rest = line.replace(commitment.text, " | ")
    return [sentence for cell in rest.split(" | ") for _, sentence in sentences_of(cell)]


def restates_row(sentence: str, descriptions: list[str]) -> bool:
    """Whether the sentence repeats one of the row's description sentences: a later
    appendix restating what the plan said of an action reports on that action."""
    if len(sentence.split()) < MIN_EVIDENCE_WORDS:
        return False
    return any(
        fuzz.ratio(normalise(sentence), normalise(description)) >= ROW_RESTATED_MATCH
        for description in descriptions
    )


def share(library: Library, words: set[str], sentence_words: set[str]) -> float:
    """The weighted share of `words` that the sentence uses."""
    total = sum(library.weight(word) for word in words)
    return sum(library.weight(word) for word in words & sentence_words) / total if total else 0.0


def stated_priorities(document: Document, commitment: Commitment) -> set[str]:
    """The priorities a later document states, which report on an action no more than a
    theme does; for a statement of intent or a priority they are found apart (see
    `later_priorities`)."""
    if commitment.kind in STRATEGIC_KINDS:
        return set()
    return {priority.text for priority in document.priorities}


def discussed(sentence: str, document: Document, commitment: Commitment) -> bool:
    """Whether the sentence records what a meeting asked or was told, which reports on a
    plan's action no more than its agenda does (a meeting's own undertakings excepted)."""
    return (
        document.doc_type == DocType.MINUTES
        and commitment.kind not in MEETING_KINDS
        and bool(discussion_cues().search(sentence))
    )


def later_priorities(
    commitment: Commitment, year: int, later: list[Document]
) -> dict[str, list[str]]:
    """For a statement of intent or a priority made for `year`: the priorities later
    documents state for a later year on all of its themes, or for a priority on some of
    them and no other (an aim to "reduce violent offences and ASB" is restated by next
    year's priority to "drive down violence and disorder"; the priority "reducing serious
    violence and knife crime among young people" by "tackling serious violence, including
    knife crime"), by section id."""
    themes = set(themes_of(commitment.text)) if commitment.kind in STRATEGIC_KINDS else set()
    found: dict[str, list[str]] = defaultdict(list)
    if not themes:
        return found
    for document in later:
        for priority in document.priorities:
            for_year = priority.year if priority.year is not None else document.year_from
            stated = set(priority.themes)
            # A priority is restated by a narrower one; a statement of intent says more
            # than its themes, and only a priority on all of them restates it.
            narrower = commitment.kind == "next_year_priority" and stated <= themes
            if (
                for_year is not None
                and for_year > year
                and stated
                and (themes <= stated or narrower)
            ):
                found[priority.section_id].append(priority.text)
    return found


def initiatives_in(commitment: Commitment, section: Section, whole_row: bool = True) -> set[str]:
    """The initiatives named in the commitment's text, or (`whole_row`) anywhere in its
    row for an action-plan row (the lead's cell names "St Giles Trust SOS+ Project")."""
    start, end = commitment.start, max(commitment.end, commitment.start + 1)
    if whole_row and commitment.kind == "action_row":
        start = section.text.rfind("\n", 0, start) + 1
        line_end = section.text.find("\n", end)
        end = len(section.text) if line_end < 0 else line_end
    return {
        normalise(m.canonical)
        for m in section.mentions
        if m.label == "INITIATIVE" and start <= m.start < end
    }


def initiative_names(section: Section, keys: set[str]) -> set[str]:
    """The initiatives `keys` as named in the commitment's passage ("Op Meteor") and by
    their canonical keys ("operation meteor"), to find passages headed by them."""
    written = {
        normalise(m.text)
        for m in section.mentions
        if m.label == "INITIATIVE" and normalise(m.canonical) in keys
    }
    return keys | written


def entity_bonus(
    section: Section,
    keys: set[str],
    names: set[str],
    start: int,
    length: int,
    heading: str,
    sentence: str,
) -> float:
    """The full bonus where the sentence at start..start+length names one of the
    initiatives `keys` (a mention, or one of their `names` written in it) or its
    `heading` is one of their names, half where the heading only names one among other
    words."""
    if not keys:
        return 0.0
    named = [m for m in section.mentions if normalise(m.canonical) in keys]
    if any(start <= mention.start < start + length for mention in named):
        return ENTITY_BONUS
    # A one-word name the entity stage did not tag in the sentence may be an everyday
    # word or a passing mention; in the commitment it only asks more of the evidence.
    if uses_name(sentence, keys, one_word=False):
        return ENTITY_BONUS
    heading = normalise(heading)
    if heading in names:
        return ENTITY_BONUS
    if any(normalise(mention.text) in heading for mention in named):
        return ENTITY_BONUS / 2
    return 0.0


def uses_name(text: str, names: set[str], one_word: bool = True) -> bool:
    """Whether the text writes one of the initiative names (normalised keys) where the
    entity stage found no mention: "closure orders" in lower case, "Firebreak" before
    its lead's name.  A one-word name counts only with `one_word`, and only written
    capitalised ("Prevent", not "prevent"), since one-word names are often everyday
    words."""
    stems = [stem(word) for word in WORD.findall(normalise(text))]
    joined = f" {' '.join(stems)} "
    for name in names:
        name_stems = [stem(word) for word in WORD.findall(name)]
        if not name_stems:
            continue
        if len(name_stems) == 1:
            if not one_word:
                continue
            written = re.finditer(rf"\b{re.escape(name)}\b", text, re.I)
            if any(match.group()[0].isupper() for match in written):
                return True
        elif f" {' '.join(name_stems)} " in joined:
            return True
    return False


def sentences_in(section: Section, keep: Iterable[str] = ()) -> Iterator[tuple[int, str, str]]:
    """Each sentence of the passage with its offset and heading: the passage's own, or the
    last heading-like line above it (a passage may run two short reports together,
    "Op Meteor ... Op Luscombe ...", under the first one's heading).  A line in `keep`
    (a priority list's item) is a sentence however short."""
    heading = section.heading_path[-1] if section.heading_path else ""
    offset = 0
    kept = set(keep)
    for line in section.text.split("\n"):
        if is_subheading(line) and line.strip() not in kept:
            heading = line.strip()
        else:
            for start, sentence in sentences_of(line):
                yield offset + start, sentence, heading
        offset += len(line) + 1


def is_subheading(line: str) -> bool:
    """A short line that is not a sentence, a list item or a table row."""
    text = line.strip()
    return (
        0 < len(text.split()) < MIN_EVIDENCE_WORDS
        and text[-1] not in ".:;,!?"
        and text[0] not in "-*•▪–"
        and " | " not in text
    )


def page_of(section: Section, offset: int) -> int | None:
    """The page of an offset in a passage: a mention's page near it, else the passage's
    first page."""
    if section.page_start == section.page_end:
        return section.page_start
    pages = [(m.start, m.page) for m in section.mentions + section.figures if m.page is not None]
    before = [page for start, page in sorted(pages) if start <= offset]
    return before[-1] if before else section.page_start


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
