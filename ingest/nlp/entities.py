"""The entity stage: the initiatives, partners and figures each section names, and the
priorities each plan or report states.

The spaCy pipeline is built on `spacy.blank("en")`, never a downloaded model:

1. ``sentencizer`` (spaCy's rule-based sentence boundaries);
2. ``csp_entity_ruler``: an entity ruler (spaCy phrase matchers) fed from the pattern
   files in models/entities plus the partners the gazetteer names (councils, police
   forces);
3. ``csp_recogniser``: a statistical recogniser for INITIATIVE and PARTNER that we train
   ourselves (`csp train`), loaded from models/ner/model, which finds names no pattern
   lists and respects what the ruler already found; it reads only the stretches around
   capitalised words the ruler left (`ingest.nlp.recogniser`);
4. ``csp_entity_linker``: maps each entity to its canonical name (`ingest.nlp.linking`) and
   drops what is not an entity (a place, a job title, a dropped name);
5. ``csp_acronyms``: the acronyms the text defines ("Safer Colchester Partnership
   (SCP)") linked to the names they stand for (`ingest.nlp.acronyms`);
6. ``csp_figures``: money, counts, percentages and rates (`ingest.nlp.figures`).

Without a trained model (a fresh checkout before `csp train`) the pipeline runs the
rules alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_prefix_regex, compile_suffix_regex, filter_spans

import ingest.nlp.figures  # registers csp_figures
import ingest.nlp.recogniser  # noqa: F401  (registers csp_recogniser)
from ingest.attribution.gazetteer import GAZETTEER_DIR, Gazetteer, load_gazetteer
from ingest.model import Document, Mention, PageMap, Section
from ingest.nlp.acronyms import link_acronyms, load_head_list, load_heads
from ingest.nlp.commitments import extract_commitments
from ingest.nlp.doc_text import doc_text
from ingest.nlp.figures import contents_pages
from ingest.nlp.linking import (
    GENERIC_TAIL,
    PARTNERSHIP,
    EntityData,
    Linked,
    Linker,
    gazetteer_partners,
    load_linker,
    normalise,
    tidy,
)
from ingest.nlp.linking import entities_dir as entities_dir_default
from ingest.nlp.priorities import extract_priorities
from ingest.nlp.themes import load_themes, themes_of
from ingest.paths import MODELS_DIR

NER_DIR = MODELS_DIR / "ner" / "model"
BATCH_SIZE = 64
MAX_PLACE_WORDS = 6
MAX_BODY_WORDS = 8
MAX_QUOTED_WORDS = 5
MAX_ACRONYM = 5
# Lower-case words after a name that say it is a scheme ("the Respect Rhymney
# initiative"); "training", "sessions" and "events" follow descriptions as often
# ("Hate Crime Ambassadors training", "Safe, Well and Secure events").
SCHEME_KINDS = frozenset(
    {"scheme", "schemes", "project", "projects", "programme", "programmes", "program"}
    | {"initiative", "initiatives", "campaign", "campaigns"}
)
AREA_KINDS = frozenset({"district", "borough", "county", "city"})
OPENING_QUOTES = frozenset({"'", "‘", "“", '"', "„"})
CLOSING_QUOTES = frozenset({"'", "’", "”", '"', "‟"})
# Quote marks of PDF text that spaCy's tokenizer keeps on the word ("Fund‟").
ODD_QUOTES = ("„", "‟")
# Words that join the items of a list ("‘Clean and Green’ and ‘Spacehive’").
LIST_JOINERS = frozenset({"and", "or", ","})
ARTICLES = frozenset({"a", "an"})
DASHES = frozenset({"-", "–", "—"})
OPERATION_WORDS = frozenset({"Operation", "Op", "Op."})
# Capitalised words after a listed name that are no part of it ("Purple Flag Status");
# a capitalised "Project" or "Scheme" often is ("Borderline Project").
KIND_WORDS = frozenset({"accreditation", "status", "award"})
JOINING = frozenset({"and", "of", "the", "for", "&", "in", "on", "to"})
LEADERS = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){3,})\s*\d")
FORCE_SUFFIX = re.compile(r"\s+(?:Police|Constabulary|Police Service)$")
CONTENTS_ENTRY = re.compile(r"[^\d|]{3,80}\s\d{1,3}")
# "- Pubwatch", "• Street Pastors": an item of a list, its words in group 1.
LIST_ITEM = re.compile(r"^[-–•·*]\s+(\S.*?)[;,]?$")
POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}")
# The canonical name of a commissioner's office when the text does not say whose.
GENERIC_COMMISSIONER = "Police and Crime Commissioner"
# Words that make a partnership's brand ("Safer Lewisham") the name of the body itself.
PARTNERSHIP_WORDS = frozenset({"partnership", "csp", "cdrp", "board"})
# Words of place names that also name kinds of body or join names.
NOT_PLACE_WORDS = frozenset(
    {
        "and",
        "of",
        "the",
        "in",
        "on",
        "upon",
        "by",
        "for",
        "council",
        "borough",
        "district",
        "county",
        "city",
        "safer",
        "community",
        "csp",
        "cdrp",
        "cdp",
        "partnership",
        "safety",
    }
)


@Language.factory(
    "csp_entity_ruler",
    default_config={"entities_dir": None, "gazetteer_dir": None},
)
def make_entity_ruler(
    nlp: Language, name: str, entities_dir: str | None, gazetteer_dir: str | None
) -> PatternRuler:
    data = EntityData(Path(entities_dir) if entities_dir else None)
    gazetteer = load_gazetteer(Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR)
    exact = data.ruler_patterns(exact=True)
    folded = data.ruler_patterns()
    # The pattern files win where they and the gazetteer spell a name the same way.
    listed = {normalise(p["pattern"]) for p in exact + folded}
    folded += [
        {"label": "PARTNER", "pattern": spelling, "id": canonical}
        for canonical, spelling in gazetteer_partners(gazetteer)
        if normalise(spelling) not in listed
    ]
    return PatternRuler(nlp, exact, folded)


class PatternRuler:
    """An entity ruler over two phrase matchers (phrase patterns are fast; token patterns
    are not): names matched exactly as written (acronyms, "Victim Support") and names
    matched on lower-cased tokens.  The longest match wins wherever they overlap; the
    entity's ent_id is its canonical name."""

    def __init__(self, nlp: Language, exact: list[dict], folded: list[dict]):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for matcher, patterns in ((self.exact, exact), (self.folded, folded)):
            grouped: dict[str, list[str]] = {}
            for pattern in patterns:
                key = f"{pattern['label']}\t{pattern['id']}"
                grouped.setdefault(key, []).append(pattern["pattern"])
            for key, phrases in grouped.items():
                matcher.add(key, [nlp.make_doc(phrase) for phrase in phrases])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                label, canonical = doc.vocab.strings[match_id].split("\t")
                span = Span(doc, start, end, label=label)
                span.id_ = canonical
                spans.append(span)
        # After the listed names, so a listed operation keeps its own canonical name.
        spans.extend(operations(doc))
        doc.ents = filter_spans(spans)
        return doc


def operations(doc: Doc) -> Iterator[Span]:
    """Police operations no pattern lists: "Operation" or "Op" and a capitalised name
    ("Operation Scorpion", "Op Scorpion" -> Operation Scorpion)."""
    if "Op" not in doc_text(doc):
        return  # most sections: no need to look at each token
    for token in doc[:-1]:
        name = doc[token.i + 1]
        if token.text in OPERATION_WORDS and name.is_title and name.is_alpha and not name.is_stop:
            span = Span(doc, token.i, token.i + 2, label="INITIATIVE")
            span.id_ = f"Operation {name.text}"
            yield span


@Language.factory(
    "csp_entity_linker",
    default_config={"entities_dir": None, "gazetteer_dir": None},
)
def make_entity_linker(
    nlp: Language, name: str, entities_dir: str | None, gazetteer_dir: str | None
) -> EntityLinkerComponent:
    linker = load_linker(
        Path(entities_dir) if entities_dir else None,
        Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR,
    )
    data = EntityData(Path(entities_dir) if entities_dir else entities_dir_default())
    places = PlaceNames(linker, load_gazetteer(Path(gazetteer_dir or GAZETTEER_DIR)))
    federations = {row["name"] for row in data.metadata() if row.get("federation")}
    filters = data.filters()
    return EntityLinkerComponent(
        linker,
        ProposalFilter(places, filters, data.first_names()),
        places,
        federations,
        filters.get("title_words", []),
        load_heads(Path(entities_dir) if entities_dir else None),
    )


@Language.factory(
    "csp_body_names",
    default_config={"entities_dir": None, "gazetteer_dir": None},
)
def make_body_names(
    nlp: Language, name: str, entities_dir: str | None, gazetteer_dir: str | None
) -> BodyNames:
    directory = Path(entities_dir) if entities_dir else None
    gazetteer = load_gazetteer(Path(gazetteer_dir or GAZETTEER_DIR))
    linker = load_linker(directory, Path(gazetteer_dir or GAZETTEER_DIR))
    data = EntityData(directory or entities_dir_default())
    places = PlaceNames(linker, gazetteer)
    heads = load_heads(directory)
    # Every force is in the gazetteer: an unlisted "X Police" is the start of "X Police
    # and Crime Commissioner" or "X Police and Crime Plan".
    partner_heads = {
        word for word, label in heads.items() if label == "PARTNER" and word != "police"
    }
    filters = data.filters()
    return BodyNames(
        linker,
        ProposalFilter(places, filters, data.first_names()),
        places,
        partner_heads,
        filters.get("title_words", []),
    )


class BodyNames:
    """Local bodies no pattern lists and the recogniser missed: capitalised words naming
    a place and ending in a word for a body ("Exeter Business Forum", "Bury Voluntary
    and Community Faith Alliance", "Hightown Housing Association" is left to the
    recogniser: no place in it).  The place keeps generic phrases out ("Community Safety
    Team", "Safer Communities Team"); the recogniser's filters apply."""

    def __init__(
        self,
        linker: Linker,
        proposals: ProposalFilter,
        places: PlaceNames,
        heads: set[str],
        title_words: list[str],
    ) -> None:
        self.linker = linker
        self.proposals = proposals
        self.place_names = places
        self.places = places.phrases | places.force_areas
        self.heads = heads
        self.title_words = frozenset(title_words)

    def __call__(self, doc: Doc) -> Doc:
        taken = {token.i for ent in doc.ents for token in ent}
        found: list[Span] = []
        for token in doc:
            if token.lower_ in self.heads and token.is_title and token.i not in taken:
                span = self.name_ending_at(doc, token.i, taken)
                if span is not None:
                    found.append(span)
                    taken.update(range(span.start, span.end))
        if found:
            # A scheme a body's name took in goes.
            kept = [e for e in doc.ents if not any(f.start <= e.start < f.end for f in found)]
            doc.ents = sorted([*kept, *found], key=lambda span: span.start)
        return doc

    def name_ending_at(self, doc: Doc, head: int, taken: set[int]) -> Span | None:
        start = head
        while start > 0 and head - start < MAX_BODY_WORDS:
            previous = doc[start - 1]
            if previous.i in taken and previous.ent_type_ == "INITIATIVE":
                # A scheme's own body: "Tower Hamlets Neighbourhood Watch Association".
                start = next(ent.start for ent in doc.ents if ent.end == start)
                continue
            if previous.i in taken or not (capitalised(previous) or previous.lower_ in JOINING):
                break
            # Another body's head ends a name before this one, unless it joins ("Council for").
            if previous.lower_ in self.heads and doc[start].lower_ not in JOINING:
                break
            start -= 1
        start = self.after_last_of(doc, start, head)
        while start < head and doc[start].lower_ in JOINING:
            start += 1
        end = head + 1
        following = doc[end] if end < len(doc) else None
        if following is not None and following.text == "Board":
            end += 1  # "Barnet Safer Communities Partnership Board"
        elif following is not None and following.lower_ in self.title_words:
            return None  # only a document's title names it ("... Partnership Plan")
        place_after = self.place_after(doc, end)
        if end - start < 2 or not (self.names_place(doc[start:head]) or place_after):
            return None
        span = doc[start : place_after or end]
        if self.proposals.rejects(span) or self.linker.not_a_name(span.text):
            return None
        linked = self.linker.link("PARTNER", span.text)
        if linked is None or self.place_names.differ(span.text, linked.canonical):
            return None
        body = Span(doc, span.start, span.end, label=linked.label, kb_id=linked.canonical)
        body.id_ = "names"
        return body

    def place_after(self, doc: Doc, end: int) -> int | None:
        """The end of "for Lambeth" after a body's head ("Neighbourhood Watch
        Association for Lambeth"), or None."""
        if end >= len(doc) or doc[end].lower_ not in ("for", "of"):
            return None
        for size in range(MAX_PLACE_WORDS, 0, -1):
            words = doc[end + 1 : end + 1 + size]
            if len(words) == size and words[0].is_title and normalise(words.text) in self.places:
                return end + 1 + size
        return None

    def after_last_of(self, doc: Doc, start: int, head: int) -> int:
        """Where the name starts when words before an "of" or "for" are not part of it
        ("Membership of the Safe Durham Partnership"); "Exeter Council for Voluntary
        Services" stays whole, as nothing after its "for" names a place."""
        for index in range(head - 1, start, -1):
            if doc[index].lower_ in ("of", "for"):
                rest = index + 1 + (doc[index + 1].lower_ == "the")
                if head - rest >= 1 and self.names_place(doc[rest:head]):
                    return rest
                break
        return start

    def names_place(self, words: Span) -> bool:
        for size in range(MAX_PLACE_WORDS, 0, -1):
            for start in range(0, len(words) - size + 1):
                phrase = words[start : start + size]
                if phrase[0].is_title and normalise(phrase.text) in self.places:
                    return True
        return False


@Language.factory(
    "csp_scheme_names",
    default_config={"entities_dir": None, "gazetteer_dir": None},
)
def make_scheme_names(
    nlp: Language, name: str, entities_dir: str | None, gazetteer_dir: str | None
) -> SchemeNames:
    directory = Path(entities_dir) if entities_dir else None
    linker = load_linker(directory, Path(gazetteer_dir or GAZETTEER_DIR))
    data = EntityData(directory or entities_dir_default())
    places = PlaceNames(linker, load_gazetteer(Path(gazetteer_dir or GAZETTEER_DIR)))
    filters = data.filters()
    return SchemeNames(
        linker,
        ProposalFilter(places, filters, data.first_names()),
        set(load_head_list("scheme_heads", directory)),
        filters.get("not_scheme_after", []),
        load_head_list("scheme_list_headings", directory),
    )


class SchemeNames:
    """Schemes no pattern lists and the recogniser missed, named as schemes by the text:
    capitalised words before a lower-case kind word ("the Student Street Support
    scheme", "the Respect Rhymney initiative" -> the words before it) or ending in a
    capitalised one ("Partnership Locality Fund", "Local Perspective Survey"), and short
    capitalised names in quotes ("‘Clean and Green’", "“Have Your Say”")."""

    def __init__(
        self,
        linker: Linker,
        proposals: ProposalFilter,
        heads: set[str],
        not_scheme_after: list[str],
        list_headings: list[str],
    ) -> None:
        self.linker = linker
        self.proposals = proposals
        self.heads = heads
        self.not_scheme_after = frozenset(not_scheme_after)
        self.list_headings = frozenset(list_headings)

    def __call__(self, doc: Doc) -> Doc:
        found = self.listed_under_heading(doc)
        taken = {token.i for ent in [*doc.ents, *found] for token in ent}
        for token in doc:
            if token.i in taken:
                continue
            span = None
            named = False
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if token.lower_ in self.heads and token.is_title:
                # "Scrutiny Programme Committee", "Small Grant Awards": the name goes on,
                # unless what follows is a document about it ("... Pilot Review").
                if following is None or not following.is_title or self.about_it(following):
                    span = self.name_before(doc, token.i + 1, taken, least=2)
                    span = span and self.with_scheme_before(span)
                    span = span and self.established_within(span, found)
            elif token.lower_ in SCHEME_KINDS and token.is_lower:
                span = self.words_before_scheme(doc, token.i) or self.name_before(
                    doc, before_apposition(doc, token.i), taken, least=2
                )
            elif token.text in OPENING_QUOTES:
                span = self.quoted(doc, token.i, taken, found)
                # "the ‘responsible retailers’ scheme": the quotes make it a name in
                # lower case too (a capitalised one is checked like any other).
                named = span is not None and span[0].is_lower
            elif token.text in DASHES:
                span = self.awarded_after(doc, token.i, taken)
            if span is not None and (scheme := self.linked(span, named)) is not None:
                found.append(scheme)
                taken.update(range(scheme.start, scheme.end))
        # "is ‘Everybody’s Business’ and ..." is no scheme where the text calls it a
        # document elsewhere ("‘Everybody’s Business’ 1, the Police and Crime Plan").
        documents = self.quoted_documents(doc)
        found = [scheme for scheme in found if scheme.text not in documents]
        if found:
            # A listed scheme a larger name took in goes, and so does a body's name that a
            # list of meetings holds ("Meetings - Behaviour Attendance Partnership").
            kept = [
                e
                for e in doc.ents
                if not any(f.start <= e.start < f.end or e.start <= f.start < e.end for f in found)
            ]
            doc.ents = sorted([*kept, *found], key=lambda span: span.start)
        return doc

    def about_it(self, token: Token) -> bool:
        """A capitalised word after a scheme's name that makes the whole a document or a
        role about the scheme ("Night Time Economy Pilot Review", "... Fund Manager")."""
        return token.lower_ in self.linker.not_last_words

    @staticmethod
    def established_within(span: Span, found: list[Span]) -> Span:
        """A name the text established earlier, inside a run of capitalised words before
        a head ("“Have Your Say” ... Drugs Have Your Say Survey" -> "Have Your Say")."""
        words = span[:-1].text
        for earlier in found:
            if len(earlier) < len(span) and (
                words == earlier.text or words.endswith(" " + earlier.text)
            ):
                return span[len(span) - 1 - len(earlier) : -1]
        return span

    def awarded_after(self, doc: Doc, dash: int, taken: set[int]) -> Span | None:
        """A heading line that gives a body and, after a dash, the name of what it runs
        or is awarded money for, with the body named again on the next line ("Active
        Surrey – Active Choices" over "To award Active Surrey £47,452.35 ..."): the rest
        of the line is the scheme's name.  Without the body again below, the line heads
        something else ("Essex County Council - North Quadrant Children & Families")."""
        owners = [ent for ent in doc.ents if ent.end == dash and ent.label_ == "PARTNER"]
        if not owners or not starts_line(doc, owners[0].start):
            return None
        text = doc_text(doc)
        line_end = text.find("\n", owners[0].end_char)
        if line_end < 0 or owners[0].text not in next_line(text, line_end):
            return None
        end = dash + 1
        while end < len(doc) and "\n" not in doc[end].text and end - dash <= MAX_QUOTED_WORDS:
            end += 1
        if end == len(doc) or "\n" not in doc[end].text or end - dash < 3:
            return None
        name = doc[dash + 1 : end]
        if not capitalised(name[0]) or any(t.i in taken for t in name):
            return None
        if any(t.is_lower and t.lower_ not in JOINING for t in name):
            return None  # "Essex Police – update on the pilot": a sentence, not a name
        return name

    def listed_under_heading(self, doc: Doc) -> list[Span]:
        """The items of a list under a heading that says what they are ("Meetings",
        "Projects and schemes"), one to a line, with or without bullets: each item of
        two or more capitalised words is a meeting or scheme.  A one-word line or a
        sentence ends the list ("Events")."""
        found = []
        heading = False
        offset = 0
        for line in doc_text(doc).split("\n"):
            start, offset = offset, offset + len(line) + 1
            item = LIST_ITEM.match(line.strip())
            words = item.group(1) if item else line.strip()
            if not words:
                continue
            # "... delivering projects and schemes. Meetings": a heading run on.
            last = words.rsplit(". ", 1)[-1].rstrip(":").lower()
            if last in self.list_headings:
                heading = True
                continue
            if len(words.split()) < 2 or words.endswith(".") or len(words.split()) > MAX_BODY_WORDS:
                heading = False
            if not heading:
                continue
            begin = start + line.index(words)
            span = doc.char_span(begin, begin + len(words))
            # "A&E data sharing", "CCTV": a description or a tool, not a named scheme.
            if span is None or not all(
                capitalised(t) or t.lower_ in JOINING for t in span if not t.is_punct
            ):
                continue
            if any(
                e.label_ == "INITIATIVE" and e.start < span.end and span.start < e.end
                for e in doc.ents
            ):
                # a listed scheme already ("Purple Flag Accreditation", "Chelmsford SOS Bus")
                continue
            if (scheme := self.linked(span)) is not None:
                found.append(scheme)
        return found

    def with_scheme_before(self, span: Span) -> Span:
        """A listed scheme written just before the words of a larger one is part of it
        ("Safer Streets Summer Initiative"); so is an owner before words that name no
        scheme by themselves ("PCC Initiatives Fund")."""
        doc = span.doc
        generic = all(
            token.lower_ in GENERIC_TAIL or token.lower_ in self.proposals.generic_words
            for token in span[:-1]
        )
        before = [
            ent
            for ent in doc.ents
            if ent.end == span.start and (ent.label_ == "INITIATIVE" or generic)
        ]
        return doc[before[0].start : span.end] if before else span

    @staticmethod
    def words_before_scheme(doc: Doc, kind: int) -> Span | None:
        """A listed scheme before a kind word, with the capitalised words before it that
        name a larger scheme ("the Junior [Community Safety Warden] scheme", "their
        Active [Choices] programme")."""
        listed = [ent for ent in doc.ents if ent.end == kind and ent.label_ == "INITIATIVE"]
        if not listed:
            return None
        start = listed[0].start
        while start > 0 and capitalised(word := doc[start - 1]) and word.lower_ not in JOINING:
            if word.ent_type_:
                break
            start -= 1
        if start == listed[0].start or doc[start].is_sent_start:
            return None
        return doc[start:kind]

    def name_before(self, doc: Doc, end: int, taken: set[int], least: int) -> Span | None:
        """The capitalised words ending at `end`, joined by "and", "of", "the"; at
        least `least` of them, and more than one where the first opens a sentence ("The
        scheme", "Projects and schemes")."""
        while end > 0 and doc[end - 1].lower_ in JOINING:
            end -= 1
        start = end
        while start > 0 and end - start < MAX_BODY_WORDS:
            previous = doc[start - 1]
            acronym = previous.is_upper and previous.is_alpha and len(previous) <= MAX_ACRONYM
            # A plural's possessive: "Young Londoners’ Fund".
            possessive = (
                previous.text in ("'", "’") and start >= 2 and doc[start - 2].text.endswith("s")
            )
            if previous.i in taken or not (
                capitalised(previous) or acronym or previous.lower_ in JOINING or possessive
            ):
                break
            start -= 1
        while start < end and doc[start].lower_ in JOINING:
            start += 1
        if end - start < least or (end - start == 1 and doc[start].is_sent_start):
            return None
        return doc[start:end]

    def quoted(self, doc: Doc, opening: int, taken: set[int], found: list[Span]) -> Span | None:
        if opening > 0 and doc[opening - 1].text == "(":
            return None  # '... Partnership ("SLP")' defines an acronym
        for close in range(opening + 2, min(len(doc), opening + MAX_QUOTED_WORDS + 2)):
            if doc[close].text in CLOSING_QUOTES:
                span = doc[opening + 1 : close]
                words = [token for token in span if token.is_alpha]
                all_capitals = all(capitalised(t) or t.lower_ in JOINING for t in words)
                after = doc[close + 1] if close + 1 < len(doc) else None
                # "the ‘Safe City’ theme", "‘Our Direction 2028’ Strategic Plan",
                # "‘Everybody’s Business’ 1, the Police and Crime Plan for Hertfordshire"
                named_otherwise = after is not None and (
                    after.is_title
                    or after.lower_ in self.not_scheme_after
                    or self.document_in_apposition(doc, close + 1)
                )
                # "the ‘responsible retailers’ scheme": the kind word says it is a name.
                kind_after = after is not None and after.lower_ in SCHEME_KINDS
                # "the definition for ‘Burglary Dwelling’": a crime type, not a scheme;
                # one quoted word is as often a rating or slang ("‘Outstanding’").
                crime_type = words and words[0].lower_ in self.proposals.topics
                one_word = len(span) == 1 and not (kind_after or self.in_list(doc, opening, found))
                name = (all_capitals and not named_otherwise) or kind_after
                if words and name and not (crime_type or one_word or "/" in span.text):
                    return None if any(t.i in taken for t in span) else span
                return None
            if doc[close].is_punct and doc[close].text not in ("&", "-", "@"):
                return None
        return None

    def quoted_documents(self, doc: Doc) -> set[str]:
        """Quoted names that a comma and a phrase after them call a document."""
        documents = set()
        for token in doc:
            if token.text not in CLOSING_QUOTES or not self.document_in_apposition(
                doc, token.i + 1
            ):
                continue
            for opening in range(token.i - 1, max(-1, token.i - MAX_QUOTED_WORDS - 2), -1):
                if doc[opening].text in OPENING_QUOTES:
                    documents.add(doc[opening + 1 : token.i].text)
                    break
        return documents

    def document_in_apposition(self, doc: Doc, index: int) -> bool:
        """A comma after a quoted name (and its footnote number) and a phrase that calls
        it a document: ", the Police and Crime Plan for Hertfordshire"."""
        if index < len(doc) and doc[index].like_num:
            index += 1
        if index >= len(doc) or doc[index].text != ",":
            return False
        for token in doc[index + 1 : index + 1 + MAX_BODY_WORDS]:
            if token.is_punct or "\n" in token.text:
                return False
            if token.lower_ in self.not_scheme_after:
                return True
        return False

    @staticmethod
    def in_list(doc: Doc, opening: int, found: list[Span]) -> bool:
        """A quoted word listed after a quoted scheme ("‘Clean and Green’ and
        ‘Spacehive’") is a scheme like it."""
        if opening < 3 or doc[opening - 1].lower_ not in LIST_JOINERS:
            return False
        if doc[opening - 2].text not in CLOSING_QUOTES:
            return False
        previous = doc[opening - 3]
        return previous.ent_type_ == "INITIATIVE" or any(previous in span for span in found)

    def linked(self, span: Span, named: bool = False) -> Span | None:
        """The scheme `span` names, or None; `named` when the text marks it as a name
        even in lower case (quotes before a kind word)."""
        if span[0].like_num or (span[-1].lower_ in GENERIC_TAIL and len(span) == 1):
            return None  # "Two sessions", "Projects and schemes"
        while len(span) > 2 and span[0].lower_ in AREA_KINDS:
            span = span[1:]  # "the District Community Safety Hub"
        # "Night Time Economy Scheme" names a scheme though its words name a theme.
        as_topic = span[-1].lower_ not in self.heads
        if self.proposals.rejects(span, topics=as_topic) or self.linker.not_a_name(span.text):
            return None
        if not as_topic and self.proposals.generic_scheme(span):
            return None
        if in_capitals(span):
            return None  # "‘MAKE EVERY CONTACT COUNT’": a heading
        linked = self.linker.link("INITIATIVE", span.text)
        if linked is None and named:
            linked = Linked("INITIATIVE", tidy(span.text), normalise(span.text))
        if linked is None:
            return None
        scheme = Span(span.doc, span.start, span.end, label=linked.label, kb_id=linked.canonical)
        scheme.id_ = "names"
        return scheme


class PlaceNames:
    """The gazetteer's place and partnership names, as the linker folds them, and the
    words of its area, town and county names."""

    def __init__(self, linker: Linker, gazetteer: Gazetteer) -> None:
        self.phrases = linker.not_entities
        # "West Mercia", "Thames Valley": the areas police forces are named after.
        self.force_areas = {normalise(FORCE_SUFFIX.sub("", force)) for force in gazetteer.forces}
        self.words = {
            word
            for strength, _target, phrase in gazetteer.phrase_patterns()
            if strength in ("name", "town", "county")
            for word in normalise(phrase).split()
        } - NOT_PLACE_WORDS

    def is_place(self, span: Span) -> bool:
        return span[0].is_title and normalise(span.text) in self.phrases

    def differ(self, first: str, second: str) -> bool:
        """Each name has a place word the other lacks ("Avon ..." and "Devon ...")."""
        words_a, words_b = (set(normalise(text).split()) & self.words for text in (first, second))
        return bool(words_a - words_b) and bool(words_b - words_a)

    def branch_bounds(
        self, doc: Doc, start: int, end: int, floor: int, ceiling: int
    ) -> tuple[int, int]:
        """A national body's name widened by the place written before or after it,
        within floor..ceiling: "Bradford Rape Crisis", "Women's Aid Lincoln"."""
        for size in range(MAX_PLACE_WORDS, 0, -1):
            if start - size >= floor and self.is_place(doc[start - size : start]):
                return start - size, end
        for size in range(MAX_PLACE_WORDS, 0, -1):
            if end + size <= ceiling and self.is_place(doc[end : end + size]):
                return start, end + size
        return start, end


class ProposalFilter:
    """What the trained recogniser proposes that is a person's title, a topic or a run of
    place names rather than a body or scheme (models/entities/filters.json)."""

    def __init__(
        self, places: PlaceNames, filters: dict, first_names: frozenset[str] = frozenset()
    ) -> None:
        self.places = places.phrases | places.force_areas
        self.role_words = set(filters.get("role_words", []))
        self.generic_words = set(filters.get("generic_words", []))
        self.person_titles = frozenset(filters.get("person_titles", []))
        self.generic_scheme_words = frozenset(filters.get("generic_scheme_words", []))
        self.first_names = first_names
        topics = {keyword for theme in load_themes() for keyword in theme.keywords}
        self.topics = {normalise(topic) for topic in topics | set(filters.get("topics", []))}

    def rejects(self, span: Span, topics: bool = True) -> bool:
        words = span.text.lower().split()
        return (
            any(word in self.role_words for word in words)
            or (topics and normalise(span.text) in self.topics)
            or self.only_places(span)
            or is_field_label(span)
            or self.names_a_person(span)
            or self.only_generic(span)
            or numbered(span)
            or on_contents_line(span)
            or bool(POSTCODE.fullmatch(span.text))
        )

    def names_a_person(self, span: Span) -> bool:
        """A forename and a capitalised word ("Sarah Gooding", "Governor Andy Laidlaw",
        "HMP Liverpool and Sarah Shillcock"): a person, or a list with one in it; or
        words after a person's title and initial ("Councillor A Crawford Rushmoor BC")."""
        return self.after_person_title(span) or any(
            token.text in self.first_names and following.is_title and following.is_alpha
            for token, following in pairwise(span)
        )

    def after_person_title(self, span: Span) -> bool:
        doc = span.doc
        index = span.start - 1
        while index >= 0 and is_initial(doc[index]) and span.start - index <= 2:
            index -= 1
        return index >= 0 and doc[index].lower_ in self.person_titles

    def generic_scheme(self, span: Span) -> bool:
        """Words that say who answers or how often, before a scheme head ("Household
        Survey"): a kind of scheme, not a name."""
        words = [token.lower_ for token in span[:-1] if not token.is_punct]
        return bool(words) and all(word in self.generic_scheme_words for word in words)

    def only_generic(self, span: Span) -> bool:
        """Only words that say what kind of body it is, none that says which one ("Police,
        Fire and Rescue", "NHS Foundation Trust", "Full Council")."""
        words = [token.lower_ for token in span if token.is_alpha]
        return bool(words) and all(word in self.generic_words or word in JOINING for word in words)

    def only_places(self, span: Span) -> bool:
        """Place names joined by lower-case words and commas, or repeated ("City of
        Lincoln Lincoln", "Mid Suffolk and West Suffolk", "Safer Cornwall Safer")."""
        words = [token.text for token in span if not token.is_punct]
        seen: set[str] = set()
        index = 0
        while index < len(words):
            for end in range(min(len(words), index + MAX_PLACE_WORDS), index, -1):
                phrase = normalise(" ".join(words[index:end]))
                if phrase in self.places:
                    seen.update(phrase.split())
                    index = end
                    break
            else:
                word = words[index]
                if not (word.islower() or word.lower() in seen):
                    return False
                index += 1
        return bool(seen)


def capitalised(token: Token) -> bool:
    """A word that starts with a capital, "StoryLab" and "CitySafe" as well as "Safer";
    not a plural acronym ("CSPs and the Panel")."""
    text = token.text
    plural_acronym = len(text) > 2 and text[-1] == "s" and text[:-1].isupper()
    return text[:1].isupper() and token.is_alpha and not plural_acronym


def before_apposition(doc: Doc, kind: int) -> int:
    """Where a name ends that a phrase after a comma calls a scheme ("has launched
    Safer Norfolk, an initiative to ..."), else the kind word itself."""
    index = kind - 1
    if index > 0 and doc[index].is_lower and doc[index].lower_ not in ARTICLES:
        index -= 1  # "a new initiative"
    if index > 1 and doc[index].lower_ in ARTICLES and doc[index - 1].text == ",":
        return index - 1
    return kind


def next_line(text: str, line_end: int) -> str:
    """The first line with any text after the newline at `line_end`."""
    for line in text[line_end + 1 :].split("\n"):
        if line.strip():
            return line
    return ""


def is_initial(token: Token) -> bool:
    """ "A" or "A." written as a person's initial."""
    return token.text.rstrip(".").isupper() and len(token.text.rstrip(".")) == 1


def starts_line(doc: Doc, index: int) -> bool:
    return index == 0 or "\n" in doc[index - 1].text or doc[index - 1].is_space


def numbered(span: Span) -> bool:
    """A number inside a name is a contents line or heading run on ("18 Finance",
    "Lincolnshire 4 Legislative Background"); a name may end in one ("Safer 6")."""
    return any(token.like_num or token.text[:1].isdigit() for token in span[:-1])


def on_contents_line(span: Span) -> bool:
    """A line of a table of contents: dot leaders before a page number, opened by
    "Contents", or ending in a page number like the line before or after it."""
    text = doc_text(span.doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line_end = line_end if line_end >= 0 else len(text)
    line = text[line_start:line_end]
    if LEADERS.search(line) or line.lstrip().lower().startswith("contents"):
        return True
    if contents_pages(line):
        return True  # "... Local Profiles 72 Mental Health Project 73 Together for ..."
    if not CONTENTS_ENTRY.fullmatch(line.strip()):
        return False
    before = text[text.rfind("\n", 0, max(0, line_start - 1)) + 1 : max(0, line_start - 1)]
    after_end = text.find("\n", line_end + 1)
    after = text[line_end + 1 : after_end if after_end >= 0 else len(text)]
    return any(CONTENTS_ENTRY.fullmatch(other.strip()) for other in (before, after))


def is_field_label(span: Span) -> bool:
    """One word before a colon on a cover sheet ("FROM:", "Subject:") labels a field."""
    doc = span.doc
    return len(span) == 1 and span.end < len(doc) and doc[span.end].text == ":"


class EntityLinkerComponent:
    """Trims each entity to the name itself, sets its kb_id to the canonical name, and
    drops what is not a name: the model's proposals in all-capitals headings, job
    titles, plans and Acts (models/entities/filters.json), and anything all lower case."""

    def __init__(
        self,
        linker: Linker,
        proposals: ProposalFilter,
        places: PlaceNames,
        federations: set[str],
        title_words: list[str],
        heads: dict[str, str],
    ):
        self.linker = linker
        self.proposals = proposals
        self.places = places
        self.federations = federations
        self.title_words = frozenset(title_words)
        self.heads = heads

    def __call__(self, doc: Doc) -> Doc:
        kept: list[Span] = []
        ents = list(doc.ents)
        for position, ent in enumerate(ents):
            # A name widened here stops where the next one begins.
            ceiling = ents[position + 1].start if position + 1 < len(ents) else len(doc)
            from_model = not ent.ent_id_
            trimmed = trim(ent, from_model)
            if trimmed is not None and from_model:
                trimmed = self.after_owner(trimmed)
            if trimmed is not None and not from_model:
                trimmed = self.fit_listed(trimmed, ent.label_, ent.ent_id_)
            if trimmed is None or not (
                any(char.isupper() for char in trimmed.text)
                or (not from_model and listed_in_lower_case(trimmed, ent.label_))
            ):
                continue
            if from_model and (
                in_capitals(trimmed)
                or self.linker.not_a_name(trimmed.text)
                or self.proposals.rejects(trimmed)
            ):
                continue
            label = self.proposal_label(trimmed, ent.label_) if from_model else ent.label_
            floor = kept[-1].end if kept else 0
            branch = self.local_branch(trimmed, floor, ceiling) if not from_model else None
            if branch is not None:
                trimmed = branch
                linked: Linked | None = Linked(label, tidy(branch.text), normalise(branch.text))
            elif not from_model and (office := self.commissioner_of_place(trimmed, ent.ent_id_)):
                trimmed, canonical = office
                linked = Linked("PARTNER", canonical, normalise(canonical))
            elif not from_model and self.brand_scheme(trimmed, ent.ent_id_):
                # "launches Safer Norfolk initiative": the brand names a scheme.
                linked = Linked("INITIATIVE", tidy(trimmed.text), normalise(trimmed.text))
            else:
                linked = self.linker.link(label, trimmed.text, ent.ent_id_)
            if linked is None:
                continue
            if from_model and self.another_place(trimmed.text, linked.canonical):
                linked = Linked(linked.label, tidy(trimmed.text), normalise(trimmed.text))
            if trimmed.start < floor:
                continue  # a widened name before it took these words already
            span = Span(doc, trimmed.start, trimmed.end, label=linked.label, kb_id=linked.canonical)
            span.id_ = "ner" if from_model else "ruler"
            kept.append(span)
        doc.ents = kept
        return doc

    def after_owner(self, span: Span) -> Span:
        """A proposal that opens with a listed body's possessive is the thing it owns
        ("Mayor of London’s Young Londoners’ Fund" -> "Young Londoners’ Fund")."""
        for token in span[1:-1]:
            if token.lower_ in ("'s", "’s"):
                owner = span.doc[span.start : token.i]
                if self.linker.is_listed("PARTNER", owner.text):
                    return span.doc[token.i + 1 : span.end]
        return span

    @staticmethod
    def brand_scheme(span: Span, canonical: str) -> bool:
        """A partnership's brand alone before a kind word ("the Safer Norfolk programme")
        or a comma that calls it one ("has launched Safer Norfolk, an initiative to")."""
        doc = span.doc
        kinds = [
            token.i
            for token in doc[span.end : span.end + 4]
            if token.is_lower and token.lower_ in SCHEME_KINDS
        ]
        return (
            canonical.endswith(PARTNERSHIP)
            and bool(kinds)
            and kinds[0] in (span.end, *[k for k in kinds if before_apposition(doc, k) == span.end])
            and not {token.lower_ for token in span} & PARTNERSHIP_WORDS
        )

    def proposal_label(self, span: Span, label: str) -> str:
        """The recogniser's label unless the name's head noun or the kind word after it
        says otherwise ("Bet Watch schemes", "Norwood Forum")."""
        doc = span.doc
        following = doc[span.end] if span.end < len(doc) else None
        if following is not None and following.is_lower and following.lower_ in SCHEME_KINDS:
            return "INITIATIVE"
        return self.heads.get(span[-1].lower_, label)

    def commissioner_of_place(self, span: Span, canonical: str) -> tuple[Span, str] | None:
        """A commissioner's office after a possessive place ("Norfolk’s Police and Crime
        Commissioner"): the place's own commissioner, the place in the span."""
        doc = span.doc
        if canonical != GENERIC_COMMISSIONER or span.start < 2:
            return None
        if doc[span.start - 1].lower_ not in ("'s", "’s"):
            return None
        for size in range(MAX_PLACE_WORDS, 0, -1):
            place = doc[max(0, span.start - 1 - size) : span.start - 1]
            if len(place) == size and place[0].is_title:
                linked = self.linker.link("PARTNER", f"{place.text} Police and Crime Commissioner")
                if linked is not None and linked.canonical != GENERIC_COMMISSIONER:
                    return doc[place.start : span.end], linked.canonical
        return None

    def fit_listed(self, span: Span, label: str, canonical: str) -> Span | None:
        """A listed name as the text uses it: without a trailing lower-case word that
        the shorter name does not need ("the Safer Northumberland partnership"), a
        partnership with its "Board"; None where it is no name of a body ("a safer
        Walsall") or only echoes a document's title ("A Safer Lewisham Plan")."""
        doc = span.doc
        if label == "PARTNER" and span[0].is_lower:
            return None
        if (
            len(span) > 1
            and (span[-1].is_lower or span[-1].lower_ in KIND_WORDS)
            and self.linker.is_listed(label, span[:-1].text)
        ):
            span = span[:-1]  # "Purple Flag Accreditation", "the Street Pastors scheme"
        if not canonical.endswith(PARTNERSHIP):
            return span
        following = doc[span.end] if span.end < len(doc) else None
        if following is None:
            return span
        if following.text == "Board":
            return doc[span.start : span.end + 1]
        brand_only = not {token.lower_ for token in span} & PARTNERSHIP_WORDS
        if brand_only and following.lower_ in self.title_words:
            return None
        return span

    def local_branch(self, span: Span, floor: int, ceiling: int) -> Span | None:
        """A member charity named after its federation ("Reigate and Banstead Women's
        Aid", "Women's Aid Lincoln") is its own body; None if no place is named between
        `floor` and `ceiling` (where the names either side end and begin)."""
        if span.ent_id_ not in self.federations:
            return None
        start, end = self.places.branch_bounds(span.doc, span.start, span.end, floor, ceiling)
        return None if (start, end) == (span.start, span.end) else span.doc[start:end]

    def another_place(self, text: str, canonical: str) -> bool:
        """A fuzzy match onto a body of another place ("Avon and Somerset Fire and Rescue
        Service" is not Devon and Somerset's): their place words differ."""
        return self.places.differ(text, canonical)


def trim(span: Span, from_model: bool) -> Span | None:
    """The name inside a matched span: no leading 'the' or punctuation, an initiative
    acronym's plural "'s" kept ("IDVA's"); a model's span also loses trailing lower-case words and
    anything after a dash or colon ("Keep Safe and its website" -> "Keep Safe") and
    leading lower-case words."""
    doc = span.doc
    start, end = span.start, span.end
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    if from_model:
        # "with Council", "’s Department", "charity Fearless": the name starts later.
        while start < end and (doc[start].is_lower or doc[start].lower_ in ("'s", "’s")):
            start += 1
        for index in range(start, end):
            if doc[index].text in ("-", "–", "—", ":", "|") and index > start:
                end = index
                break
        while end > start and (doc[end - 1].is_punct or doc[end - 1].text.islower()):
            end -= 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if start >= end:
        return None
    # "CPN's" is a plural of a tool; "the PCC's plan" is a body's possessive.
    if (
        span.label_ == "INITIATIVE"
        and end < len(doc)
        and doc[end].lower_ in ("'s", "’s")
        and doc[end - 1].text.isupper()
    ):
        end += 1
    return doc[start:end]


def listed_in_lower_case(span: Span, label: str) -> bool:
    """A listed scheme or power written in lower case ("street pastors", "domestic
    homicide reviews"); one word alone is too often an ordinary word."""
    return label == "INITIATIVE" and len(span) > 1


def in_capitals(span: Span) -> bool:
    """A span in a line with no lower-case letters, a capitalised word among others
    ("OPEN TO THE PUBLIC", "A WRIGHT") or several capitalised words or one with a
    possessive ("CRIME OVERVIEW", "COMMISSIONER’S"): shouting, a heading or a signature,
    not a name the recogniser can be trusted with."""
    doc = span.doc
    words = [token for token in span if token.is_alpha or token.text in ("’S", "'S")]
    shouting = bool(words) and all(token.text.isupper() for token in words)
    if shouting and (len(words) > 1 or "’S" in span.text or "'S" in span.text):
        return True
    if len(span) == 1 and span.text.isupper():
        neighbours = [doc[i] for i in (span.start - 1, span.end) if 0 <= i < len(doc)]
        if any(token.is_alpha and token.text.isupper() for token in neighbours):
            return True
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, span.start_char) + 1
    line_end = text.find("\n", span.end_char)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return not any(char.islower() for char in line)


def build_pipeline(
    ner_dir: Path | None = NER_DIR,
    entities_dir: Path | None = None,
    gazetteer_dir: Path = GAZETTEER_DIR,
) -> Language:
    """The entity pipeline; the trained recogniser is left out if `ner_dir` is None or
    holds no model.  `entities_dir` defaults to `ingest.nlp.linking.entities_dir()`."""
    data_config = {
        "entities_dir": str(entities_dir or entities_dir_default()),
        "gazetteer_dir": str(gazetteer_dir),
    }
    nlp = spacy.blank("en")
    nlp.add_pipe("csp_entity_ruler", config=data_config)
    if ner_dir is not None and (Path(ner_dir) / "config.cfg").exists():
        nlp.add_pipe("csp_recogniser", config={"ner_dir": str(ner_dir)})
    tokenizer: Any = nlp.tokenizer  # a spaCy Tokenizer (its module has no stubs)
    tokenizer.prefix_search = compile_prefix_regex(
        [*(nlp.Defaults.prefixes or []), *ODD_QUOTES]
    ).search
    tokenizer.suffix_search = compile_suffix_regex(
        [*(nlp.Defaults.suffixes or []), *ODD_QUOTES]
    ).search
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("csp_entity_linker", config=data_config)
    nlp.add_pipe("csp_body_names", config=data_config)
    nlp.add_pipe("csp_scheme_names", config=data_config)
    nlp.add_pipe("csp_acronyms", config={"entities_dir": data_config["entities_dir"]})
    nlp.add_pipe("csp_figures")
    return nlp


def entity_pipeline() -> Language:
    """The shipped pipeline, built once per process (per entity data folder)."""
    return cached_pipeline(entities_dir_default())


@lru_cache(maxsize=2)
def cached_pipeline(entities_dir: Path) -> Language:
    return build_pipeline(entities_dir=entities_dir)


def mentions_of(doc: Doc, pages: PageMap) -> list[Mention]:
    return [
        Mention(
            label=ent.label_,
            text=ent.text,
            canonical=ent.kb_id_,
            start=ent.start_char,
            end=ent.end_char,
            page=pages.page_at(ent.start_char),
            source=ent.id_ or "ruler",
        )
        for ent in doc.ents
    ]


def annotate_sections(
    sections: list[Section], page_maps: list[PageMap], nlp: Language | None = None
) -> None:
    """Set each section's mentions and figures; an acronym one section defines is
    linked in the document's other sections too."""
    nlp = nlp or entity_pipeline()
    linker = load_linker()
    docs = list(nlp.pipe((section.text for section in sections), batch_size=BATCH_SIZE))
    definitions: dict[str, tuple[str, str]] = {}
    for doc in docs:
        for acronym, meaning in (doc._.acronyms or {}).items():
            definitions.setdefault(acronym, meaning)
    for doc in docs:
        link_acronyms(doc, definitions)
    commissioners = document_commissioners(docs, linker)
    for section, pages, doc in zip(sections, page_maps, docs, strict=True):
        if any(ent.kb_id_ == GENERIC_COMMISSIONER for ent in doc.ents):
            resolve_commissioners(
                doc, commissioners or area_commissioners(section.districts, linker)
            )
        section.mentions = [
            mention
            for mention in mentions_of(doc, pages)
            if linker.fits_area(mention.text, section.districts)
        ]
        section.figures = []
        for figure in doc._.figures or []:
            figure.page = pages.page_at(figure.start)
            section.figures.append(figure)


def document_commissioners(docs: list[Doc], linker: Linker) -> set[str]:
    """The particular commissioners' offices a document names."""
    return {
        ent.kb_id_
        for doc in docs
        for ent in doc.ents
        if ent.kb_id_ != GENERIC_COMMISSIONER and linker.entity("PARTNER", ent.kb_id_).kind == "pcc"
    }


def area_commissioners(districts: list[str], linker: Linker) -> set[str]:
    """The commissioners of the police forces of a section's areas."""
    gazetteer = load_gazetteer()
    found = set()
    for district in districts:
        area = gazetteer.areas.get(district)
        if area is None or area.police_force is None:
            continue
        place = FORCE_SUFFIX.sub("", area.police_force)
        linked = linker.link("PARTNER", f"Police and Crime Commissioner for {place}")
        if linked is not None and linker.entity("PARTNER", linked.canonical).kind == "pcc":
            found.add(linked.canonical)
    return found


def resolve_commissioners(doc: Doc, commissioners: set[str]) -> None:
    """ "PCC", "OPCC", "the Commissioner's Office": the one commissioner the document
    names, else the one of the section's police force; left generic when it is not one."""
    if len(commissioners) != 1:
        return
    (canonical,) = commissioners
    ents = []
    for ent in doc.ents:
        if ent.kb_id_ == GENERIC_COMMISSIONER:
            source = ent.id_
            ent = Span(doc, ent.start, ent.end, label=ent.label_, kb_id=canonical)
            ent.id_ = source
        ents.append(ent)
    doc.ents = ents


def annotate_document(document: Document, page_maps: list[PageMap]) -> None:
    """Mentions and figures for every section, the document's stated priorities and
    commitments, then each section's themes."""
    annotate_sections(document.sections, page_maps)
    document.priorities = extract_priorities(document)
    document.commitments = extract_commitments(document, page_maps)
    assign_themes(document, load_linker())


def assign_themes(document: Document, linker: Linker) -> None:
    """Each section's themes, from its headings, priorities and initiatives."""
    priority_themes: dict[str, list[str]] = {}
    for priority in document.priorities:
        priority_themes.setdefault(priority.section_id, []).extend(priority.themes)
    for section in document.sections:
        section.themes = section_themes(
            section, priority_themes.get(section.section_id, []), linker
        )


def section_themes(section: Section, priority_themes: list[str], linker: Linker) -> list[str]:
    """What a section is about: its own headings (not the document title), the
    priorities it states and the initiatives it names."""
    themes = list(themes_of(" / ".join(section.heading_path[1:])))
    themes += priority_themes
    for mention in section.mentions:
        if mention.label == "INITIATIVE":
            themes += linker.themes("INITIATIVE", mention.canonical)
    return list(dict.fromkeys(themes))
