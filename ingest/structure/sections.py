"""Headings and sections, judged the same way for every input format.

Readers mark only the headings their source states (markdown `#`, HTML `<h2>`, a larger
PDF font).  Bold lines and short title-like lines are judged here, so a PDF and its text
twin come out with the same structure.  Sections are the text under one heading path;
a long one is cut at block boundaries into passages of a searchable size.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ingest.model import Block, BlockKind, Passage

MAX_HEADING_WORDS = 14
MAX_PLAIN_HEADING_WORDS = 10
PASSAGE_WORDS = 300

# Judged headings sit below every heading level a source can state.
BOLD_HEADING_LEVEL = 5
PLAIN_HEADING_LEVEL = 6

SENTENCE_END = re.compile(r"[.;,!?]['\"”’)]?$")
PAGE_RANGE = re.compile(r"^\d+\s*[-–]\s*\d+$")
ONLY_NUMBERS = re.compile(r"^[\d\s.,%£$()\-–/]+$")


def word_count(text: str) -> int:
    return len(text.split())


def looks_like_title(text: str, max_words: int = MAX_HEADING_WORDS) -> bool:
    """Short, not a sentence, starting with a capital or a number."""
    words = word_count(text)
    if words == 0 or words > max_words:
        return False
    if SENTENCE_END.search(text) or ONLY_NUMBERS.match(text):
        return False
    first = text.lstrip("'\"‘“(")[:1]
    return first.isupper() or first.isdigit()


def judge_headings(blocks: Sequence[Block]) -> None:
    """Mark bold and short title-like paragraphs and list items as headings, in place.

    Minutes and committee reports number their headings ("1. Executive Summary"), which
    readers see as list items; a short item that opens a body, rather than sitting in a
    run of short items, is a heading.
    """
    for index, block in enumerate(blocks):
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM):
            continue
        previous = blocks[index - 1] if index else None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == BlockKind.LIST_ITEM:
            if (
                looks_like_title(block.text, MAX_PLAIN_HEADING_WORDS)
                and not is_short_list_item(previous)
                and following is not None
                and introduces_body(following)
            ):
                block.kind = BlockKind.HEADING
                block.level = PLAIN_HEADING_LEVEL
        elif block.bold and looks_like_title(block.text.rstrip(":")):
            block.kind = BlockKind.HEADING
            block.level = BOLD_HEADING_LEVEL
        elif (
            looks_like_title(block.text, MAX_PLAIN_HEADING_WORDS)
            and not block.text.endswith(":")
            and following is not None
            and introduces_body(following)
        ):
            block.kind = BlockKind.HEADING
            block.level = PLAIN_HEADING_LEVEL


def is_short_list_item(block: Block | None) -> bool:
    return block is not None and block.kind == BlockKind.LIST_ITEM and word_count(block.text) < 12


def introduces_body(block: Block) -> bool:
    """A heading is followed by prose, a long list item or a table, not by a short line."""
    if block.kind == BlockKind.TABLE_ROW:
        return True
    return block.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and word_count(block.text) >= 20


def build_passages(
    blocks: Sequence[Block],
    base_path: Sequence[str] = (),
    topic_of: Callable[[Block], str | None] | None = None,
) -> list[Passage]:
    """Group body blocks under their heading path, cutting long runs into passages.

    `topic_of` lets the caller start a new passage where a block's topic (in practice,
    the CSP area a county document turns to) changes, so one passage speaks of one area.
    """
    passages: list[Passage] = []
    stack: list[tuple[int, str]] = []
    current: Passage | None = None
    current_topic: str | None = None

    def heading_path() -> list[str]:
        return [*base_path, *(text for _, text in stack)]

    for block in blocks:
        if block.kind == BlockKind.HEADING:
            level = block.level or BOLD_HEADING_LEVEL
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, block.text))
            current = None
            current_topic = None
            continue
        if PAGE_RANGE.match(block.text):
            continue
        topic = topic_of(block) if topic_of else None
        starts_new = (
            current is None
            or (current.words + word_count(block.text) > PASSAGE_WORDS and current.blocks)
            or (topic is not None and current_topic is not None and topic != current_topic)
        )
        if starts_new:
            current = Passage(heading_path())
            passages.append(current)
            current_topic = None
        assert current is not None
        current.blocks.append(block)
        if topic is not None:
            current_topic = topic
    return passages
