"""Near-duplicate documents: the same report inside a pack and on its own, a PDF and its
text twin.  MinHash over word 5-grams, banded so the catalog can find candidates by
lookup rather than by comparing every pair.
"""

from __future__ import annotations

import hashlib
import re

from ingest.model import Document

SHINGLE_WORDS = 5
HASHES = 64
ROWS_PER_BAND = 4
BANDS = HASHES // ROWS_PER_BAND
# Bands two documents must share: at 64 hashes, 8 of 16 bands is about Jaccard 0.8.
NEAR_DUPLICATE_BANDS = 8
MIN_WORDS = 40

WORD = re.compile(r"\w+")
EMPTY_BIN = (1 << 64) - 1


def document_signature(document: Document) -> list[str] | None:
    """The band hashes of a document's sections' text (see `signature_bands`)."""
    return signature_bands("\n".join(section.text for section in document.sections))


def signature_bands(text: str) -> list[str] | None:
    """Band hashes of a document's text, or None when it is too short to compare.

    One-permutation MinHash: each shingle hash falls in one of HASHES bins and each bin
    keeps its minimum, so a signature costs one pass over the shingles.
    """
    words = WORD.findall(text.lower())
    if len(words) < MIN_WORDS:
        return None
    minimums = [EMPTY_BIN] * HASHES
    for i in range(len(words) - SHINGLE_WORDS + 1):
        shingle = " ".join(words[i : i + SHINGLE_WORDS]).encode()
        value = int.from_bytes(hashlib.blake2b(shingle, digest_size=8).digest(), "big")
        slot = value % HASHES
        if value < minimums[slot]:
            minimums[slot] = value
    return [
        hashlib.blake2b(
            repr(minimums[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]).encode(),
            digest_size=8,
        ).hexdigest()
        for band in range(BANDS)
    ]
