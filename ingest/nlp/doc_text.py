"""A doc's text, joined once.

spaCy's `Doc.text` joins every token's text again at each call; the components read a
section's text many times (for each entity's line, each acronym's other mentions), so
they read it here, where the first call keeps it in the doc's `user_data`.
"""

from __future__ import annotations

from spacy.tokens import Doc

TEXT_KEY = "csp_text"


def doc_text(doc: Doc) -> str:
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
