"""The text reader on the shapes the sample extractions come in."""

from __future__ import annotations

from ingest.model import BLOCK_SEPARATOR, BlockKind
from ingest.readers.text import parse_text, read_text

from samples import BRAINTREE_PACK, sample


def kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(block.kind.value, block.text) for block in parse_text(text)]


def test_markdown_headings_keep_their_level_without_markup() -> None:
    blocks = parse_text("# Braintree CSP\n\n## **Annual Report 2017-18**\n\nText here.")
    assert [(b.kind, b.level, b.text) for b in blocks[:2]] == [
        (BlockKind.HEADING, 1, "Braintree CSP"),
        (BlockKind.HEADING, 2, "Annual Report 2017-18"),
    ]


def test_bold_lines_are_bold_paragraphs_not_headings() -> None:
    (block,) = parse_text("**Key Achievements**")
    assert block.kind == BlockKind.PARAGRAPH and block.bold and block.text == "Key Achievements"


def test_lines_of_a_paragraph_are_joined() -> None:
    assert kinds_and_texts("**Council Chamber, Town Hall,\nColchester, CO1 1PJ**") == [
        ("paragraph", "Council Chamber, Town Hall, Colchester, CO1 1PJ")
    ]


def test_tab_separated_and_html_cells_become_rows() -> None:
    text = "<b>Theme</b>\t<b>Lead</b>\t\nDomestic Abuse\tSafer Places\n--\t---\n"
    assert kinds_and_texts(text) == [
        ("table_row", "Theme | Lead"),
        ("table_row", "Domestic Abuse | Safer Places"),
    ]


def test_markdown_pipe_tables_become_rows_like_tab_separated_ones() -> None:
    text = (
        "Our actions for the year:\n"
        "| Action | **Lead** | Timescale |\n"
        "|:---|---|---:|\n"
        "| Open a Police \\| Council hub | Police |  |\n"
        "\n"
        "Theme | Lead\n"
        "--- | ---\n"
        "Domestic Abuse | Safer Places\n"
    )
    tab_separated = "Action\t<b>Lead</b>\tTimescale\nOpen a Police / Council hub\tPolice\t\n"
    assert kinds_and_texts(text) == [
        ("paragraph", "Our actions for the year:"),
        *kinds_and_texts(tab_separated),
        ("table_row", "Theme | Lead"),
        ("table_row", "Domestic Abuse | Safer Places"),
    ]


def test_a_line_of_names_between_pipes_is_not_a_table() -> None:
    """Plans list their partners on one line between pipes; no delimiter row follows."""
    text = "Rotherham Council | South Yorkshire Police | NHS Rotherham\n\nText here."
    assert kinds_and_texts(text) == [
        ("paragraph", "Rotherham Council | South Yorkshire Police | NHS Rotherham"),
        ("paragraph", "Text here."),
    ]


def test_html_fragments_become_paragraphs_and_list_items() -> None:
    text = "<p>The CSP priorities were:</p> <ul><li>• Reduce re-offending</li></ul>\t\t"
    assert kinds_and_texts(text) == [
        ("paragraph", "The CSP priorities were:"),
        ("list_item", "Reduce re-offending"),
    ]


def test_links_entities_and_ordinals_are_plain_text() -> None:
    text = "Wednesday, 11<sup>th</sup> July 2018 &amp; [www.braintree.gov.uk](http://x)"
    assert kinds_and_texts(text) == [
        ("paragraph", "Wednesday, 11th July 2018 & www.braintree.gov.uk")
    ]


def test_offsets_index_the_joined_text() -> None:
    parsed = read_text(sample(BRAINTREE_PACK, "text"))
    full = parsed.text
    assert BLOCK_SEPARATOR.join(b.text for b in parsed.blocks) == full
    for block in parsed.blocks[::50]:
        assert full[block.start : block.end] == block.text
    assert all(block.page is None for block in parsed.blocks)
