"""The trained INITIATIVE/PARTNER recogniser, run only where it can add a name.

A name the recogniser proposes survives the linker only if it holds a capital letter
outside the names the ruler found (`EntityLinkerComponent`), so the recogniser reads
the stretches of a section around such words and skips the rest.  A capitalised stop
word ("The", "In", "We") does not open a stretch: a name that holds one holds another
capitalised word within reach.  That leaves about half the tokens of the scaled corpus,
and the recogniser was most of the entity stage's time.  Each stretch keeps `CONTEXT`
tokens either side of its capitalised words, as far as the tok2vec's four layers reach
(one token a layer), so the words that can start or end a name are read as in the
whole section (the names found in the scaled corpus, and `csp eval`'s three sets, are
the same as with the whole sections read).  The ruler's names in a stretch are passed
in with it, so the recogniser still works around them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import use_ops
from threadpoolctl import threadpool_limits

CONTEXT = 4
BATCH_SIZE = 256


@Language.factory("csp_recogniser", default_config={"ner_dir": None})
def make_recogniser(nlp: Language, name: str, ner_dir: str) -> Recogniser:
    # thinc multiplies matrices with BLIS by default; numpy's OpenBLAS does the
    # recogniser's tok2vec in a third of the CPU time on this kind of CPU.
    with use_ops("numpy", use_blis=False):
        model = spacy.load(ner_dir)
    # On one thread: ingest runs a worker process per core, and OpenBLAS's own
    # threads spin between products, taking CPU from the other workers (a third
    # more CPU time a page in the benchmark).  Process-wide, as OpenBLAS's setting is.
    threadpool_limits(limits=1, user_api="blas")
    # The stretches are made in the pipeline's vocab, where the recogniser writes its labels.
    ner: Any = model.get_pipe("ner")  # spaCy's EntityRecognizer (its module has no stubs)
    for label in ner.labels:
        nlp.vocab.strings.add(label)
    return Recogniser(model)


class Recogniser:
    """The trained tok2vec + ner over the stretches of each doc that hold a capitalised
    word the ruler left; its names are added to the doc's entities."""

    def __init__(self, model: Language):
        self.model = model
        ner: Any = model.get_pipe("ner")
        self.labels = tuple(ner.labels)

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            stretches = [
                (doc, start, stretch)
                for doc in batch
                for start, stretch in candidate_stretches(doc)
            ]
            read = self.model.pipe((stretch for _, _, stretch in stretches), batch_size=batch_size)
            found: dict[int, list[Span]] = {}
            for (doc, offset, _), stretch in zip(stretches, read, strict=True):
                found.setdefault(id(doc), []).extend(
                    Span(doc, offset + ent.start, offset + ent.end, label=ent.label_)
                    for ent in stretch.ents
                    if not ent.ent_id
                )
            for doc in batch:
                if found.get(id(doc)):
                    doc.ents = sorted([*doc.ents, *found[id(doc)]], key=lambda span: span.start)
            yield from batch


COLUMNS: list[int | str] = [
    "ORTH",
    "LOWER",
    "IS_STOP",
    "SPACY",
    "NORM",
    "ENT_IOB",
    "ENT_TYPE",
    "ENT_ID",
]
KEPT = COLUMNS[4:]  # what a stretch takes from its doc besides its words


def candidate_stretches(doc: Doc) -> list[tuple[int, Doc]]:
    """Where each stretch starts, and the stretch as a Doc of its own: the tokens within
    `CONTEXT` of a word with a capital letter, not a stop word, outside the doc's
    entities, widened to whole entities and joined where they touch.  Made from the
    doc's token array: a Span's `as_doc` costs a third of what the recogniser saves."""
    if not len(doc):
        return []
    table: Any = doc.to_array(COLUMNS)  # one row of uint64 a token
    iob = table[:, 5]
    inside = (iob == 1) | (iob == 3)
    capitalised = numpy.flatnonzero((table[:, 0] != table[:, 1]) & (table[:, 2] == 0) & ~inside)
    ranges: list[tuple[int, int]] = []
    for index in capitalised.tolist():
        start, end = widened(iob, index - CONTEXT, index + CONTEXT + 1)
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    strings = doc.vocab.strings
    stretches = []
    for start, end in ranges:
        rows = table[start:end]
        stretch = Doc(
            doc.vocab,
            words=[strings[orth] for orth in rows[:, 0].tolist()],
            spaces=rows[:, 3].astype(bool).tolist(),
        )
        stretch.from_array(KEPT, rows[:, 4:])
        stretches.append((start, stretch))
    return stretches


def widened(iob: numpy.ndarray, start: int, end: int) -> tuple[int, int]:
    """A token range that cuts no entity in two (1 is spaCy's IOB code for "inside")."""
    start, end = max(0, start), min(len(iob), end)
    while start > 0 and iob[start] == 1:
        start -= 1
    while end < len(iob) and iob[end] == 1:
        end += 1
    return start, end
