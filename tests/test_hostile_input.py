"""Hostile input: queries through every door (search, the CLI, the app's functions) and
arbitrary text and bytes through the text and HTML readers and the format sniffer.

Every query gets results or a one-line QueryError (a usage error in the CLI), never a
traceback; every file gets blocks or a ReaderError.  Blocks always sit at their offsets
in the file text.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from ingest.answers.compare import batch_lookup
from ingest.answers.queries import open_index, run_facets, run_search
from ingest.cli import cli
from ingest.errors import QueryError, ReaderError
from ingest.model import BLOCK_SEPARATOR, Block, BlockKind
from ingest.pipeline.ingest import ingest_paths
from ingest.readers import read_file
from ingest.readers.base import sniff_format
from ingest.readers.html import parse_html
from ingest.readers.text import parse_text
from ingest.search.backend import Hit
from ingest.search.vocabulary import stop_words
from ingest.search.whoosh.natural import other_forms
from ingest.search.whoosh.query import (
    OPERATORS,
    TOKEN,
    clean_query,
    parse_query,
    synonyms_searched,
)
from ingest.search.whoosh.schema import SEARCH_FIELDS, term_of

from samples import BRAINTREE_2022, sample


def examples(count: int) -> settings:
    """`count` examples, without deadlines (the first search loads the index) and with
    the module's shared index fixture, which is safe to reuse across examples."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index (catalog and Whoosh) of one sample, as `csp ingest` makes it."""
    index_dir = tmp_path_factory.mktemp("hostile") / "index"
    report = ingest_paths([sample(BRAINTREE_2022, "text")], index_dir)
    assert not report.failed
    return index_dir


HOSTILE = [
    "",
    "   ",
    "J9 " * 3334,  # 10,000 characters
    "x" * 10_000,
    '"J9',
    'J9"',
    '"Spot it" "Stop',
    "(J9",
    "J9))",
    "((J9 OR training)",
    "*",
    "AND",
    '"',
    "OR NOT",
    "(",
    ")",
    "NOT",
    "foo:bar",
    "districts:",
    "districts:Braintree",
    "title:",
    ":",
    "J9 AND",
    "NOT J9",
    "Pärtnérship café",
    "训练",
    "🙂",
    "J9 🙂🙂",
    "\u202e J9",
    "\x00",
    "J9\x00training",
    "\x07\x1b[31mJ9",
    "\r\n\t",
    "a" * 80,
    "-J9",
    "--",
]


def check_query_error(error: Exception) -> None:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_through_search_and_the_apps_functions(index_dir: Path, query: str) -> None:
    for run in (
        lambda: open_index(index_dir).search(query),
        lambda: run_search(index_dir, query),
        # The app counts facets for what is typed, as long as it is not blank.
        lambda: run_facets(index_dir, query) if query.strip() else None,
    ):
        try:
            run()
        except QueryError as error:
            check_query_error(error)
    rows = batch_lookup(index_dir, [query])
    assert all(isinstance(row["documents"], int) and "\n" not in row["error"] for row in rows)


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_through_the_cli(index_dir: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index_dir)])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert "Error: " in result.output


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "nothing to search for"),
        ("OR NOT", "nothing to search for"),
        ("*", "nothing to search for"),
        ("J9 " * 3334, "the query is too long"),
        ("a" * 80, "words over 64 characters are not indexed"),
        ("NOT J9", "NOT only excludes"),
        ("-J9", "No such option"),
    ],
)
def test_refused_queries_say_why(index_dir: Path, query: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index_dir)])
    assert result.exit_code == 2 and message in result.output


def test_odd_but_readable_queries_find_what_they_name(index_dir: Path) -> None:
    for query in ['"J9', "(J9", "J9))", "J9 AND", "J9\x00", "J9 🙂", "districts: J9"]:
        assert run_search(index_dir, query), query


APP = str(Path(__file__).resolve().parents[1] / "search_app.py")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ('"J9 ((', None),
        ("districts: J9 🙂", None),
        ("OR NOT", "nothing to search for"),
        ("x" * 10_000, "the query is too long"),
        ("\x00\x07", "nothing to search for"),
    ],
)
def test_hostile_queries_typed_into_the_app(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch, query: str, error: str | None
) -> None:
    monkeypatch.setenv("CSP_INDEX", str(index_dir))
    test = AppTest.from_file(APP, default_timeout=60).run()
    test.text_input(key="query").input(query).run()
    assert not test.exception
    errors = [element.value for element in test.error]
    if error is None:
        assert not errors and "Braintree" in [header.value for header in test.header]
    else:
        assert len(errors) == 1 and error in errors[0] and "\n" not in errors[0]


@pytest.mark.e2e
def test_the_installed_command_prints_no_traceback(index_dir: Path) -> None:
    csp = Path(sys.executable).parent / "csp"
    for query, code in (('"J9 ((', 0), ("OR NOT", 2)):
        done = subprocess.run(
            [str(csp), "search", query, "--index", str(index_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr + done.stdout


# Property-based: the query parser and every door to it ---------------------------------

QUERY_PIECES = [
    "J9", "AND", "OR", "NOT", "(", ")", '"', "“", "*", "?", "foo:bar", "districts:", ":",
    "[", "TO", "]", "~2", "^3", "-", "🙂", "é", "训练", "\x00", "\x07", "\u200b", "\ufeff",
    "\u202e", "\U0001f600", "training", "Braintree", "2022-23", " ",
]  # fmt: skip
QUERIES = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=1200),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=20).map(" ".join),
    st.lists(st.sampled_from(QUERY_PIECES), max_size=20).map("".join),
)


@pytest.mark.slow
@examples(1000)
@given(query=QUERIES)
def test_the_parser_reads_any_text_or_says_why(query: str) -> None:
    try:
        parsed = parse_query(query)
    except QueryError as error:
        check_query_error(error)
    else:
        # What was read is the words typed, each as the index holds it, in the search
        # fields, their other forms (word_forms.json) and the synonyms of some: none lost
        # (but the operators, and the stop words of a query typed without operators),
        # none made up.
        typed = {
            match.group(): term_of(match.group()) for match in TOKEN.finditer(clean_query(query))
        }
        terms = {(field, text) for field, text in parsed.iter_all_terms(phrases=True)}
        assert terms and {field for field, _ in terms} == set(SEARCH_FIELDS)
        read = {text for _, text in terms}
        named = {term for other in synonyms_searched(query) for term in other.terms}
        forms = {form for term in {*typed.values(), *named} if term for form in other_forms(term)}
        assert read <= set(typed.values()) | named | forms
        kept = {term for word, term in typed.items() if term and word not in OPERATORS}
        assert kept - {term_of(word) for word in stop_words()} <= read


@pytest.mark.slow
@examples(300)
@given(query=QUERIES)
def test_the_apps_functions_answer_any_text(index_dir: Path, query: str) -> None:
    try:
        hits = run_search(index_dir, query)
        if query.strip():
            run_facets(index_dir, query)
    except QueryError as error:
        check_query_error(error)
    else:
        assert all(isinstance(hit, Hit) and "\n" not in hit.snippet for hit in hits)


@pytest.mark.slow
@examples(300)
@given(query=QUERIES, as_json=st.booleans())
def test_the_cli_answers_any_text(index_dir: Path, query: str, as_json: bool) -> None:
    args = ["search", query, "--index", str(index_dir), *(["--json"] if as_json else [])]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in (0, 2), result.output


# Property-based: the readers ------------------------------------------------------------


def check_blocks(blocks: list[Block]) -> None:
    """Each block non-empty, trimmed, and found at its offsets in the joined text."""
    text = BLOCK_SEPARATOR.join(block.text for block in blocks)
    for block in blocks:
        assert block.text and block.text == block.text.strip()
        assert text[block.start : block.end] == block.text
        assert isinstance(block.kind, BlockKind)


MARKDOWN_PIECES = [
    "# ", "## ", "- ", "* ", "1. ", "a) ", "(iv) ", "**", "*", "__", "_", "[", "](", ")",
    "<", ">", "<b>", "</b>", "<p>", "</p>", "<table>", "<tr><td>", "</td><td>", "<br>",
    "<sup>", "&amp;", "&#0;", "\t", "|", "---", "\n", "\n\n", "\r", " ", "\u00a0",
    "\u2028", "\x0b", "\x0c", "\x00", "\ufeff", "word", "J9", "2019/20",
]  # fmt: skip
MARKDOWNISH = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=60).map("".join)


@examples(600)
@given(text=st.one_of(st.text(), MARKDOWNISH))
def test_the_text_reader_reads_any_text(text: str) -> None:
    check_blocks(parse_text(text))


HTML_PIECES = [
    "<p>", "</p>", "<div>", "</div>", "<h1>", "</h2>", "<h7>", "<li>", "<ul>", "<ol>",
    "<table>", "<tr>", "<td>", "</td>", "<th>", "<blockquote>", "<pre>", "<dt>", "<dd>",
    "<b>", "<strong>", "<span>", "<a href='x'>", "</a>", "<script>", "</script>",
    "<style>", "<nav>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml ?>", "<!DOCTYPE html>",
    "<body>", "<br/>", "&amp;", "&#x0;", "&nbsp;", "<", ">", "text", "J9", " ", "\n",
    "\x00", "🙂",
]  # fmt: skip
HTMLISH = st.lists(st.sampled_from(HTML_PIECES), max_size=60).map("".join)


@examples(600)
@given(markup=st.one_of(st.text(), st.binary(), HTMLISH, HTMLISH.map(str.encode)))
def test_the_html_reader_reads_any_markup(markup: str | bytes) -> None:
    check_blocks(parse_html(markup))


SUFFIXES = [".pdf", ".txt", ".md", ".html", ".htm", "", ".docx"]
FILE_STARTS = [b"", b"%PDF-1.4\n", b"<!DOCTYPE html>", b"<html>", b"\xef\xbb\xbf", b"\xff\xd8\xff"]


@examples(400)
@given(
    start=st.sampled_from(FILE_STARTS),
    data=st.one_of(st.binary(max_size=3000), HTMLISH.map(str.encode), MARKDOWNISH.map(str.encode)),
    suffix=st.sampled_from(SUFFIXES),
)
def test_any_bytes_are_read_or_refused_with_a_reason(
    start: bytes, data: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(start + data)
        try:
            assert sniff_format(path) in ("pdf", "html", "text")
            parsed = read_file(path)
        except ReaderError as error:
            assert str(error) and "\n" not in str(error)
        else:
            check_blocks(parsed.blocks)


# Regressions: input that was slow or lost text ------------------------------------------


def best_seconds(read, text: str) -> float:
    """The best of three timings of `read(text)`, the one least slowed by other work on
    the machine, each without the garbage collector's passes (on deep trees they grow
    faster than the input, and are not the reader's work)."""
    timings = []
    for _ in range(3):
        gc.disable()
        try:
            started = time.perf_counter()
            read(text)
            timings.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return min(timings)


def assert_linear(read, make, size: int) -> None:
    """Eight times the input takes about eight times as long, not sixty-four: a ratio,
    so the machine's speed does not decide it, with room for the noise of a shared
    machine (the absolute floor keeps timings too short to compare from deciding it)."""
    small, large = best_seconds(read, make(size)), best_seconds(read, make(8 * size))
    assert large < 24 * small or large < 0.2, f"{small:.3f} s, then {large:.3f} s for 8x"


@pytest.mark.parametrize(
    "piece",
    [
        "[",
        "[a](",
        "<",
        "<http://",
        "*a ",
        "_a ",
        pytest.param("<b>x ", marks=pytest.mark.slow),
        "**x ",
    ],
)
def test_long_lines_of_unclosed_markup_read_in_linear_time(piece: str) -> None:
    # Each of these was quadratic: 200,000 characters took minutes.
    assert_linear(parse_text, lambda size: piece * (size // len(piece)), 25_000)
    assert len(parse_text(piece * (200_000 // len(piece)))) == 1


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["div", "blockquote", "b", "span"])
def test_deeply_nested_html_reads_in_linear_time(tag: str) -> None:
    assert_linear(parse_html, lambda size: f"<{tag}>x " * size, 6_250)
    blocks = parse_html(f"<{tag}>x " * 50_000)
    assert sum(block.text.count("x") for block in blocks) == 50_000


def test_html_text_is_neither_lost_nor_doubled() -> None:
    markup = """<div>The CSP ran <a href="/j9">J9</a> training.<div>Nested.</div> After.</div>
    <blockquote><p>Quoted once.</p></blockquote>
    <table><tr><td>Outer</td><td><table><tr><td>Inner</td></tr></table></td></tr></table>"""
    assert [(block.kind, block.text) for block in parse_html(markup)] == [
        (BlockKind.PARAGRAPH, "The CSP ran J9 training."),
        (BlockKind.PARAGRAPH, "Nested."),
        (BlockKind.PARAGRAPH, "After."),
        (BlockKind.PARAGRAPH, "Quoted once."),
        (BlockKind.TABLE_ROW, "Outer | Inner"),
    ]
