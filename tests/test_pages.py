"""Page previews of PDF hits."""

from __future__ import annotations

import pymupdf

from ingest.answers.pages import page_image
from ingest.answers.presentation import marked_terms

from samples import BRAINTREE_2022, sample


def test_marked_terms_come_from_the_snippet() -> None:
    assert marked_terms("deliver '«J9»' training … the «J9» logo «Spot» «it»") == [
        "Spot",
        "J9",
        "it",
    ]


def test_page_image_is_a_png_with_the_terms_highlighted() -> None:
    pdf = sample(BRAINTREE_2022, "pdf")
    plain = page_image(pdf, 5, [])
    marked = page_image(pdf, 5, ["J9"])
    assert plain.startswith(b"\x89PNG") and marked.startswith(b"\x89PNG")
    assert plain != marked
    picture = pymupdf.Pixmap(marked)
    assert picture.width > 800
