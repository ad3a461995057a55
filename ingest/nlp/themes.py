"""A spaCy component that applies the theme taxonomy (`ingest.nlp.taxonomy`) to text.

Each theme lists keyword phrases in the wording CSPs across England and Wales use
("VAWG", "county lines", "fly tipping").  Phrases match on lower-cased tokens; where
matches overlap the longest wins, so "violence against women and girls" is domestic abuse
and VAWG, not serious violence, and "drink driving" is road safety, not alcohol.  A text's
themes come best first: the theme with the longest match, then the earliest.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.nlp.taxonomy import THEMES_FILE, Theme, load_themes
from ingest.nlp.taxonomy import theme_names as theme_names

SPANS_KEY = "themes"

# Stock phrases that contain a keyword but name no theme: "crime and disorder" is every
# CSP's statutory remit, not anti-social behaviour.  Matched so that they win the overlap.
NEUTRAL_PHRASES = (
    "crime and disorder",
    "crime & disorder",
    "community rehabilitation company",
)
NEUTRAL_LABEL = "_neutral"


def keyword_variants(keyword: str) -> list[str]:
    """The keyword and its plural: the blank pipeline has no lemmatiser."""
    if keyword.endswith("s") or len(keyword) <= 3:
        return [keyword]
    return [keyword, f"{keyword}s"]


if not Doc.has_extension("themes"):
    Doc.set_extension("themes", default=None)


@Language.factory("csp_themes", default_config={"themes_file": None})
def make_theme_classifier(nlp: Language, name: str, themes_file: str | None) -> ThemeClassifier:
    return ThemeClassifier(nlp, load_themes(Path(themes_file) if themes_file else THEMES_FILE))


class ThemeClassifier:
    """Sets doc.spans["themes"] (label = theme) and doc._.themes (theme names, best first)."""

    def __init__(self, nlp: Language, themes: tuple[Theme, ...]):
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for theme in themes:
            phrases = sorted({v for keyword in theme.keywords for v in keyword_variants(keyword)})
            self.matcher.add(theme.theme, [nlp.make_doc(phrase) for phrase in phrases])
        self.matcher.add(NEUTRAL_LABEL, [nlp.make_doc(phrase) for phrase in NEUTRAL_PHRASES])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
        ]
        kept = [span for span in filter_spans(spans) if span.label_ != NEUTRAL_LABEL]
        doc.spans[SPANS_KEY] = kept
        doc._.themes = rank_themes(kept)
        return doc


def rank_themes(spans: list[Span]) -> list[str]:
    """Theme names by their longest match (most specific), then by first position."""
    best: dict[str, tuple[int, int]] = {}
    for span in spans:
        key = (-len(span.text), span.start_char)
        best[span.label_] = min(best.get(span.label_, key), key)
    return sorted(best, key=best.__getitem__)


@lru_cache(maxsize=2)
def theme_pipeline(themes_file: Path = THEMES_FILE) -> Language:
    """A blank English pipeline with the theme classifier; built once per process."""
    nlp = spacy.blank("en")
    nlp.add_pipe("csp_themes", config={"themes_file": str(themes_file)})
    return nlp


@lru_cache(maxsize=4096)
def theme_reading(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text's themes, best first, and the theme keywords it uses as written: one
    run of the theme pipeline serves both."""
    doc = theme_pipeline()(text)
    return tuple(doc._.themes), tuple(span.text for span in doc.spans[SPANS_KEY])


def themes_of(text: str) -> list[str]:
    """The themes a priority's text maps to, best first; empty when it names none."""
    return list(theme_reading(text)[0])


def theme_phrases(text: str) -> tuple[str, ...]:
    """The theme keywords the text uses, as written ("Hate Crime" in "Hate Crime
    Awareness Sessions")."""
    return theme_reading(text)[1]
