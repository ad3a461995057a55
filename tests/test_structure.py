"""Heading judgement and passages, on hand-built blocks."""

from __future__ import annotations

from ingest.model import Block, BlockKind
from ingest.structure.sections import PASSAGE_WORDS, build_passages, judge_headings

LONG = "The partnership delivered awareness training to frontline staff across the district " * 3


def test_bold_short_line_becomes_heading_but_bold_sentence_does_not() -> None:
    blocks = [Block("Key Achievements", bold=True), Block("It was a good year.", bold=True)]
    judge_headings(blocks)
    assert blocks[0].kind == BlockKind.HEADING
    assert blocks[1].kind == BlockKind.PARAGRAPH


def test_plain_short_line_is_heading_only_before_a_body() -> None:
    blocks = [
        Block("Access"),
        Block(LONG),
        Block("Councillor A Smith"),
        Block("Councillor B Jones"),
    ]
    judge_headings(blocks)
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
    ]


def test_numbered_item_opening_a_body_is_heading_but_a_short_list_is_not() -> None:
    blocks = [
        Block("Executive Summary", BlockKind.LIST_ITEM),
        Block("1.1. " + LONG, BlockKind.LIST_ITEM),
        Block("Protect the vulnerable", BlockKind.LIST_ITEM),
        Block("Keep safe online", BlockKind.LIST_ITEM),
        Block(LONG),
    ]
    judge_headings(blocks)
    assert blocks[0].kind == BlockKind.HEADING
    assert blocks[3].kind == BlockKind.LIST_ITEM


def test_passages_follow_the_heading_path() -> None:
    blocks = [
        Block("Report", BlockKind.HEADING, level=1),
        Block("Achievements", BlockKind.HEADING, level=2),
        Block("J9 training was delivered."),
        Block("Funding", BlockKind.HEADING, level=2),
        Block("£17,739 was received."),
    ]
    passages = build_passages(blocks)
    assert [p.heading_path for p in passages] == [["Report", "Achievements"], ["Report", "Funding"]]
    assert passages[0].text == "J9 training was delivered."


def test_long_sections_are_cut_into_passages_at_block_boundaries() -> None:
    blocks = [Block("Heading", BlockKind.HEADING, level=1)] + [Block(LONG) for _ in range(30)]
    passages = build_passages(blocks)
    assert len(passages) > 1
    assert all(p.words <= PASSAGE_WORDS for p in passages)
    assert sum(len(p.blocks) for p in passages) == 30


def test_a_change_of_topic_starts_a_new_passage() -> None:
    blocks = [Block("Basildon ran a DPPO."), Block("It worked."), Block("Rochford launched J9.")]
    topics = {"Basildon ran a DPPO.": "Basildon", "Rochford launched J9.": "Rochford"}
    passages = build_passages(blocks, topic_of=lambda block: topics.get(block.text))
    assert [p.text for p in passages] == [
        "Basildon ran a DPPO.\nIt worked.",
        "Rochford launched J9.",
    ]
