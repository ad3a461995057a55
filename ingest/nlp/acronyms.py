"""Acronyms a document defines, as a registered spaCy component.

`csp_acronyms` runs after the linker.  A name followed by its acronym in brackets
("Safer Colchester Partnership (SCP)", "Public Service Board (PSB)") defines the
acronym: the bracketed acronym and every later one written the same way in the text are
mentions of that name, with its label and canonical name, whatever the recogniser made
of them ("SLP" proposed as an initiative is the Safer Lewisham Partnership).  The name is
a mention already found or, when the recogniser missed it, the capitalised words whose
initials spell the acronym, labelled by their head noun (models/entities/heads.json:
"Community Safety Officer Group (CSOG)" is a partner; with no known head, a name
that calls itself multi-agency is an initiative, "Local Multi-Agency Problem Solving
(LMAPS)", and any other is not labelled).  `link_acronyms` applies one section's definitions to
the other sections of the same document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.nlp.doc_text import doc_text
from ingest.nlp.linking import Linker, entities_dir, load_linker, normalise, tidy

HEADS_FILE = "heads.json"
# Words an acronym skips: "Office of the Police and Crime Commissioner (OPCC)".
JOINING_WORDS = frozenset({"and", "of", "the", "for", "&", "in", "on", "to"})
MIN_LETTERS, MAX_LETTERS = 2, 8
MAX_PLACE_WORDS = 3
QUOTES = frozenset({'"', "'", "“", "”", "‘", "’"})

if not Doc.has_extension("acronyms"):
    Doc.set_extension("acronyms", default=None)

Definitions = dict[str, tuple[str, str]]


@Language.factory("csp_acronyms", default_config={"entities_dir": None})
def make_acronyms(nlp: Language, name: str, entities_dir: str | None) -> AcronymLinker:
    path = Path(entities_dir) if entities_dir else None
    return AcronymLinker(
        load_heads(path), load_linker(path), load_head_list("initiative_cues", path)
    )


def load_heads(directory: Path | None = None) -> dict[str, str]:
    """Head noun (lower case) -> label, from heads.json."""
    return {
        word: label
        for key, label in (("partner_heads", "PARTNER"), ("initiative_heads", "INITIATIVE"))
        for word in load_head_list(key, directory)
    }


def load_head_list(key: str, directory: Path | None = None) -> list[str]:
    """One list of heads.json, lower case."""
    path = (directory or entities_dir()) / HEADS_FILE
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [word.lower() for word in data.get(key, [])]


class AcronymLinker:
    """Sets doc._.acronyms to the doc's definitions and links the acronyms they define."""

    def __init__(self, heads: dict[str, str], linker: Linker, initiative_cues: list[str]):
        self.heads = heads
        self.linker = linker
        self.initiative_cues = tuple(initiative_cues)

    def __call__(self, doc: Doc) -> Doc:
        definitions: Definitions = {}
        added: list[Span] = []
        for close in range(3, len(doc)):
            if doc[close].text != ")":
                continue
            # "(SLP)" or '("SLP")'
            quoted = doc[close - 1].text in QUOTES and close >= 4 and doc[close - 3].text in QUOTES
            bracket = close - 4 if quoted else close - 2
            if doc[bracket].text != "(":
                continue
            acronym = doc[close - 2 if quoted else close - 1].text
            if not is_acronym(acronym):
                continue
            name = self.defined_name(doc, bracket, acronym)
            if name is None:
                continue
            if name.id_ == "acronym":
                added.append(name)
            definitions.setdefault(acronym, (name.label_, name.kb_id_))
        if added:
            doc.ents = filter_spans([*doc.ents, *added])
        # A name the text itself establishes (in quotes, before "scheme") is that name
        # wherever the document repeats it ("“Have Your Say”" ... "Have Your Say 2023").
        for ent in doc.ents:
            if ent.id_ == "names" and len(ent) > 1:
                definitions.setdefault(ent.text, (ent.label_, ent.kb_id_))
        doc._.acronyms = definitions
        return link_acronyms(doc, definitions)

    def defined_name(self, doc: Doc, bracket: int, acronym: str) -> Span | None:
        """The name ending just before the bracket whose initials the acronym spells;
        None for a class of bodies ("Community Safety Partnerships (CSPs)")."""
        if acronym.endswith("s"):
            return None
        ending = [ent for ent in doc.ents if ent.end == bracket]
        if ending:
            ent = ending[0]
            return ent if spells(acronym, ent) else None
        letters = sum(char.isupper() for char in acronym)
        for start in range(bracket - 1, max(-1, bracket - 3 * letters), -1):
            token = doc[start]
            hyphen = token.text == "-" and not token.whitespace_  # "Multi-Agency"
            if not (token.is_title or token.is_upper or token.lower_ in JOINING_WORDS or hyphen):
                return None
            candidate = doc[start:bracket]
            if token.lower_ in JOINING_WORDS or hyphen or not spells(acronym, candidate):
                continue
            label = self.heads.get(doc[bracket - 1].lower_) or self.cued_label(candidate)
            if label is None or normalise(candidate.text) in self.linker.dropped:
                return None
            start = self.place_before(doc, start)
            if any(token.ent_type_ for token in doc[start:bracket]):
                return None
            name = Span(doc, start, bracket, label=label, kb_id=tidy(doc[start:bracket].text))
            name.id_ = "acronym"
            return name
        return None

    def cued_label(self, name: Span) -> str | None:
        """INITIATIVE for a name with no known head that says it is a multi-agency
        arrangement ("Local Multi-Agency Problem Solving (LMAPS)"), like MARAC and MAPPA."""
        text = name.text.lower()
        return "INITIATIVE" if any(cue in text for cue in self.initiative_cues) else None

    def place_before(self, doc: Doc, start: int) -> int:
        """Where a name starts that a place name opens ("Suffolk Safer Stronger
        Communities Board (SSCB)", whose acronym leaves the place out)."""
        for size in range(MAX_PLACE_WORDS, 0, -1):
            words = doc[max(0, start - size) : start]
            if words and words[0].is_title and normalise(words.text) in self.linker.not_entities:
                return start - len(words)
        return start


def is_acronym(text: str) -> bool:
    capitals = sum(char.isupper() for char in text)
    return (
        MIN_LETTERS <= len(text) <= MAX_LETTERS
        and text.isalpha()
        and capitals >= MIN_LETTERS
        and capitals * 2 > len(text)
    )


def spells(acronym: str, name: Span) -> bool:
    """Whether the acronym's capitals are the initials of the name's words, with or
    without the joining words, hyphenated parts counted apart ("Multi-Agency")."""
    words = [part for token in name for part in token.text.split("-") if part.isalpha()]
    capitals = "".join(char for char in acronym if char.isupper())
    initials = "".join(word[0] for word in words).upper()
    content = "".join(word[0] for word in words if word.lower() not in JOINING_WORDS).upper()
    return capitals in (initials, content)


def link_acronyms(doc: Doc, definitions: Definitions) -> Doc:
    """Every acronym of `definitions` in the doc as a mention of the name it stands for,
    and every other occurrence of a name the document established."""
    if not definitions:
        return doc
    spans = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.text in definitions:
            label, canonical = definitions[ent.text]
            source = ent.id_
            ent = Span(doc, ent.start, ent.end, label=label, kb_id=canonical)
            ent.id_ = source
        spans.append(ent)
        covered.update(range(ent.start, ent.end))
    for token in doc:
        if token.text in definitions and token.i not in covered:
            label, canonical = definitions[token.text]
            span = Span(doc, token.i, token.i + 1, label=label, kb_id=canonical)
            span.id_ = "acronym"
            spans.append(span)
            covered.add(token.i)
    for name, (label, canonical) in definitions.items():
        if " " not in name:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc_text(doc)):
            again = doc.char_span(match.start(), match.end(), label=label, kb_id=canonical)
            if again is not None and not covered.intersection(range(again.start, again.end)):
                again.id_ = "names"
                spans.append(again)
                covered.update(range(again.start, again.end))
    doc.ents = sorted(spans, key=lambda span: span.start)
    return doc
