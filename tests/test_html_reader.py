"""The HTML reader: headings, rows and list items; scripts never become text."""

from __future__ import annotations

from ingest.model import BlockKind
from ingest.readers.html import parse_html

PAGE = """<html><head><script>alert('x')</script><style>p {}</style></head><body>
<nav>Home | Contact</nav>
<h1>Safer Sutton Partnership</h1><h2>Annual Report 2021-22</h2>
<p>The partnership ran <b>Ask for Angela</b> in Sutton town centre.</p>
<ul><li>Reduce violence</li><li>Tackle ASB</li></ul>
<table><tr><th>Action</th><th>Lead</th></tr><tr><td>Purple Flag</td><td>Council</td></tr></table>
</body></html>"""


def test_html_structure_becomes_blocks() -> None:
    blocks = parse_html(PAGE)
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        (BlockKind.HEADING, 1, "Safer Sutton Partnership"),
        (BlockKind.HEADING, 2, "Annual Report 2021-22"),
        (BlockKind.PARAGRAPH, None, "The partnership ran Ask for Angela in Sutton town centre."),
        (BlockKind.LIST_ITEM, None, "Reduce violence"),
        (BlockKind.LIST_ITEM, None, "Tackle ASB"),
        (BlockKind.TABLE_ROW, None, "Action | Lead"),
        (BlockKind.TABLE_ROW, None, "Purple Flag | Council"),
    ]
    assert not any("alert" in b.text or "Home" in b.text for b in blocks)
