"""A spaCy component that finds CSP areas (`ingest.attribution.gazetteer`) in text.

Every district, borough, city and unitary area of England and Wales is a CSP area.  A
mention is graded by how surely it names the partnership an area runs:

- ``csp``: a partnership's name ("Safer Colchester Partnership", "Rochford District CSP");
- ``council``: a council's name ("Braintree District Council");
- ``name``: the bare area name ("Harlow"), capitalised as a proper noun;
- ``town``: a principal town of the area ("Witham"), the weakest evidence;
- ``web``: the council's web or e-mail address ("democracy@swansea.gov.uk"), which
  names the publisher where its name is only in a logo;
- ``county``: a county or county-wide partnership ("Safer Essex");
- ``partner``: a police force, county service or multi-area service ("Essex Police",
  "Devon and Somerset Fire and Rescue Service"), which names no area and is matched
  only so that the place words in it are not taken for places.

A short name two areas share ("Newcastle": upon Tyne or under-Lyme) is read as the area
the rest of the text points to: its full name, its county, its police force, its towns.
A bare name followed by "Road", "Room" or "Hospital" names a street, a room or a
hospital, not the place ("Gloucester Room", "Old Kent Road").

Names and aliases are data; the phrasings that turn a name into a partnership or council
name are data too (name_templates.json).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.attribution.gazetteer import (
    GAZETTEER_DIR,
    SHARED_SEPARATOR,
    Gazetteer,
    PlaceMention,
    load_gazetteer,
)

SPANS_KEY = "places"
HOST = re.compile(r"^(?:[a-z]+://)?([a-z0-9.-]+)", re.I)


@Language.factory("csp_places", default_config={"gazetteer_dir": None})
def make_place_recognizer(nlp: Language, name: str, gazetteer_dir: str | None) -> PlaceRecognizer:
    directory = Path(gazetteer_dir) if gazetteer_dir else GAZETTEER_DIR
    return PlaceRecognizer(nlp, load_gazetteer(directory))


class PlaceRecognizer:
    """Finds area, county and partner names; the longest match wins where they overlap."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        grouped: dict[tuple[str, str], set[str]] = {}
        for strength, target, phrase in gazetteer.all_phrase_patterns():
            grouped.setdefault((strength, target), set()).add(phrase)
        for (strength, target), phrases in grouped.items():
            key = f"{strength}\t{target}"
            self.matcher.add(key, [nlp.make_doc(phrase) for phrase in sorted(phrases)])
        followers = gazetteer.templates.get("not_places_before", [])
        self.not_places_before = {word.lower() for word in followers}
        self.county_names = {name.lower() for name in gazetteer.counties}
        self.county_parts = {word.lower() for word in gazetteer.templates.get("county_parts", [])}

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            strength, target = doc.vocab.strings[match_id].split("\t")
            span = Span(doc, start, end, label=strength, kb_id=target)
            spans.append(span)
        spans.extend(self.web_spans(doc))
        kept = [span for span in filter_spans(spans) if self.is_proper_mention(span)]
        doc.spans[SPANS_KEY] = kept
        return doc

    def web_spans(self, doc: Doc) -> list[Span]:
        """Web and e-mail addresses on a council's, county's or force's domain."""
        spans = []
        for token in doc:
            if not (token.like_url or token.like_email):
                continue
            host = HOST.match(token.text.rsplit("@", 1)[-1])
            place = self.gazetteer.web_place(host.group(1).rstrip(".")) if host else None
            if place is not None:
                strength, target = place
                spans.append(Span(doc, token.i, token.i + 1, label=strength, kb_id=target))
        return spans

    def is_proper_mention(self, span: Span) -> bool:
        """Bare names must be written as proper nouns; ambiguous ones need more than that.

        Only the ambiguous name itself is weak: "Newport" may be the Isle of Wight's town,
        "Casnewydd" is only the city.
        """
        if self.names_something_else(span):
            return False
        if span.label_ not in ("name", "town"):
            return True
        if not span.text[:1].isupper():
            return False
        area = self.gazetteer.areas.get(span.kb_id_)
        is_ambiguous_name = bool(area and area.ambiguous and span.text.lower() == area.name.lower())
        return not (is_ambiguous_name and span.label_ == "name" and not span.text.isupper())

    def names_something_else(self, span: Span) -> bool:
        """A bare name before "Road", "Room" or "Hospital" is that street, room or hospital;
        a county's after "North East" is a part of the county."""
        bare_county = span.label_ == "county" and span.text.lower() in self.county_names
        following = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
        if (bare_county or span.label_ in ("name", "town")) and following in self.not_places_before:
            return True
        before = span.doc[max(span.start - 2, 0) : span.start]
        return bare_county and any(
            before[i:].text.lower() in self.county_parts for i in range(len(before))
        )


@lru_cache(maxsize=2)
def place_pipeline(gazetteer_dir: Path = GAZETTEER_DIR) -> Language:
    """A blank English pipeline with the place recogniser; built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("csp_places", config={"gazetteer_dir": str(gazetteer_dir)})
    return nlp


def find_places(texts: list[str]) -> list[list[PlaceMention]]:
    """Place mentions in each text, with character offsets into it.

    The texts are read together (the blocks of one file): a shared short name in one
    is resolved by what all of them say.
    """
    nlp = place_pipeline()
    results = []
    for doc in nlp.pipe(texts, batch_size=256):
        results.append(
            [
                PlaceMention(span.label_, span.kb_id_, span.text, span.start_char, span.end_char)
                for span in doc.spans[SPANS_KEY]
            ]
        )
    return resolve_shared_names(results, load_gazetteer())


def resolve_shared_names(
    results: list[list[PlaceMention]], gazetteer: Gazetteer
) -> list[list[PlaceMention]]:
    """Each shared short name read as the area the other mentions in the texts point to."""
    evidence = [m for mentions in results for m in mentions if SHARED_SEPARATOR not in m.target]
    readings: dict[str, str] = {}
    resolved = []
    for mentions in results:
        block = []
        for mention in mentions:
            if SHARED_SEPARATOR in mention.target:
                if mention.target not in readings:
                    candidates = mention.target.split(SHARED_SEPARATOR)
                    readings[mention.target] = gazetteer.shared_name_reading(candidates, evidence)
                mention = replace(mention, target=readings[mention.target])
            block.append(mention)
        resolved.append(block)
    return resolved
