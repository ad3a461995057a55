"""The `csp` command: thin wrappers that check arguments and call plain functions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ingest import __version__
from ingest.answers import presentation as shown
from ingest.errors import CspError, QueryError
from ingest.model import TRACE_STATUSES, DocType
from ingest.paths import default_index_dir, printable_path
from ingest.pipeline.settings import EXECUTORS, Limits
from ingest.search.backend import SORTS
from ingest.search.registry import BACKENDS

DOC_TYPES = [doc_type.value for doc_type in DocType]
ENTITY_TYPE_CHOICES = click.Choice(["initiative", "partner"])

# Options more than one command takes, declared once.  Reading commands import what
# they need inside their bodies, so `csp search` loads neither spaCy nor the PDF library.

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (catalog + Whoosh index). Default: $CSP_INDEX, else "
    "~/.local/share/csp-search/index.",
)


# What every `--json` record naming a document's file says of it (`cited`).
CITED = (
    "source is the link it was published at (null when unknown), name its title and "
    "publisher, file its path on this machine; also_in its other copies alike."
)


def json_option(help: str = "One JSON object per line."):
    return click.option("--json", "as_json", is_flag=True, help=help)


def district_option(help: str = "CSP area, by any of its names.", repeatable: bool = False):
    if repeatable:
        return click.option("--district", "districts", multiple=True, help=help)
    return click.option("--district", help=help)


def year_option(help: str = "Financial year, e.g. 2019, 2019-20 or 2019/20."):
    return click.option("--year", help=help)


def year_range_options(of: str = "of a range"):
    """--from and --to, the first and last financial years `of` what is listed."""

    def decorate(command):
        command = click.option("--to", "year_to", help=f"Last financial year {of}.")(command)
        return click.option("--from", "year_from", help=f"First financial year {of}.")(command)

    return decorate


def entity_type_option(help: str):
    return click.option("--type", "entity_type", type=ENTITY_TYPE_CHOICES, help=help)


def resolve_index(index_dir: Path | None) -> Path:
    return index_dir if index_dir is not None else default_index_dir()


def echo_wait(message: str) -> None:
    """What a writing command says while another writer holds the index folder."""
    click.echo(message, err=True)


@contextmanager
def user_errors(context: click.Context) -> Iterator[None]:
    """The errors a user can meet, as one line and an exit code, never a traceback: a
    query or filter to correct exits 2 with the command's usage, anything else 1."""
    try:
        yield
    except QueryError as error:
        raise click.UsageError(str(error), context) from error
    except CspError as error:
        raise click.ClickException(str(error)) from error


class CspCommand(click.Command):
    def invoke(self, context: click.Context):
        with user_errors(context):
            return super().invoke(context)


class CspGroup(click.Group):
    command_class = CspCommand
    group_class = type  # subgroups are CspGroups

    def invoke(self, context: click.Context):
        with user_errors(context):
            return super().invoke(context)


@click.group(cls=CspGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csp")
def cli() -> None:
    """CSP Search: find what Community Safety Partnerships did, where, when, and whether
    it worked.

    Ingest CSP publications (PDF, text, HTML), then search them by CSP area, financial
    year and document type.
    """


@cli.command()
# Text, not click.Path: a URL's "//" would be folded into one slash.
@click.argument("paths", nargs=-1, metavar="PATH|URL...")
@index_option
@click.option(
    "--sources",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV manifest of where files came from: a header row with `file` (a path "
    "relative to the manifest) or `sha256`, and `url`, `publisher`, `retrieved` "
    "(YYYY-MM-DD). With no PATH, ingests the files it names. A bad row is named by "
    "file and line and skipped.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes that parse files in parallel.",
)
@click.option("--force", is_flag=True, help="Re-ingest files even if unchanged.")
@click.option(
    "--retry-failed", is_flag=True, help="Also re-run every file that failed in an earlier run."
)
@click.option(
    "--timeout",
    type=click.FloatRange(1),
    default=Limits.timeout_s,
    show_default=True,
    help="Seconds one file may take, retries included (OCR may use two thirds, a "
    "text-only read the rest); past it the file fails and the batch goes on.",
)
@click.option(
    "--max-memory",
    type=click.IntRange(64),
    default=Limits.max_memory_mb,
    show_default=True,
    help="MB of memory one file may use beyond the worker's own.",
)
@click.option(
    "--max-pages",
    type=click.IntRange(1),
    default=Limits.max_pages,
    show_default=True,
    help="Pages read per file; a longer file is ingested as partial.",
)
@click.option(
    "--executor",
    type=click.Choice(list(EXECUTORS)),
    default="local",
    show_default=True,
    help="Where files are parsed: worker processes here, a local Dask cluster of "
    "--workers processes, or the Dask cluster at --scheduler.",
)
@click.option("--scheduler", help="Dask scheduler address (tcp://host:8786) for --executor dask.")
@click.option(
    "--backend",
    type=click.Choice(sorted(BACKENDS)),
    default=None,
    help="Search engine of the index, kept for every later command on it (default: the "
    "one it has; whoosh for a new index). tantivy is for national-size indexes (over "
    "about 100,000 sections); switching rebuilds the search index from the catalog.",
)
@click.option("--silent", is_flag=True, help="No progress bar or per-file lines; summary only.")
def ingest(
    paths: tuple[str, ...],
    index_dir: Path | None,
    sources: Path | None,
    workers: int,
    force: bool,
    retry_failed: bool,
    timeout: float,
    max_memory: int,
    max_pages: int,
    executor: str,
    scheduler: str | None,
    backend: str | None,
    silent: bool,
) -> None:
    """Ingest files, folders (recursively) and URLs into the index.

    A URL (http or https) is downloaded into the index folder's downloads/ folder, as an
    upload is checked (at most 50 MB, a PDF, HTML or text file by its content), and its
    address and the day are recorded as where the file came from. --sources records it
    for local files; a PDF's own metadata (a URL among its fields, an XMP publisher)
    fills in where neither says.

    Each file is read in a worker process under a time, memory and page limit. Prints
    one status line per file (ingested, partial, ocr, unchanged, duplicate, failed:
    reason; a near-duplicate of a stored document adds "also in" and its title) and a
    summary. Exits 0 when every file was ingested or skipped, 1 when any
    failed; the others are ingested all the same. `csp report` shows the run again.
    While another ingest or entity edit writes to the index, waits for it, saying so.
    SIGTERM or Ctrl-C stops it once the file being stored is stored (a second one at
    once); `csp report` shows the run as interrupted.
    """
    from tqdm import tqdm

    from ingest.pipeline.ingest import ingest_paths

    if not paths and not retry_failed and sources is None and not backend:
        raise click.UsageError(
            "give files, folders or URLs to ingest, --sources, --retry-failed or --backend"
        )
    if (executor == "dask") != bool(scheduler):
        raise click.UsageError("--scheduler goes with --executor dask, and it needs one")
    bar: tqdm | None = None

    def on_start(total: int) -> None:
        nonlocal bar
        # tqdm hides itself when stderr is not a terminal (disable=None).
        bar = tqdm(total=total, unit="file", disable=True if silent else None, file=sys.stderr)

    def on_result(result) -> None:
        if not silent:
            tqdm.write(result.line(), file=sys.stdout)
        if bar is not None:
            bar.update(1)

    report = ingest_paths(
        paths,
        resolve_index(index_dir),
        workers=workers,
        force=force,
        limits=Limits(timeout_s=timeout, max_memory_mb=max_memory, max_pages=max_pages),
        retry_failed=retry_failed,
        sources=sources,
        executor=executor,
        scheduler=scheduler,
        backend=backend,
        on_result=on_result,
        on_start=on_start,
        on_notice=lambda notice: click.echo(f"note: {notice}", err=True),
        on_wait=echo_wait,
    )
    if bar is not None:
        bar.close()
    click.echo(report.summary())
    if report.stopped_by:
        click.echo(
            f"stopped by {report.stopped_by} after the file being stored; "
            "run the same command again to go on",
            err=True,
        )
        sys.exit(130 if report.stopped_by == "SIGINT" else 143)
    sys.exit(1 if report.failed else 0)


@cli.command()
@index_option
@click.option("--run", "run_id", type=int, help="This run instead of the latest.")
@json_option("One JSON object with files and runs.")
def report(index_dir: Path | None, run_id: int | None, as_json: bool) -> None:
    """Show the last ingest run file by file (status, parser, pages, OCR pages, pages
    without text, sections, entities, time, reason) and the runs before it."""
    from ingest.answers.queries import run_history

    history = run_history(resolve_index(index_dir), run_id)
    if as_json:
        click.echo(json.dumps(history, ensure_ascii=False))
        return
    if history["run_id"] is None:
        click.echo("No ingest has run on this index yet.")
        return
    click.echo(f"Run {history['run_id']}:")
    click.echo(
        f"{'status':10} {'parser':6} {'pages':>5} {'ocr':>4} {'no text':>7} "
        f"{'sections':>8} {'entities':>8} {'seconds':>7}  file / reason"
    )
    for row in map(shown.run_file_row, history["files"]):
        click.echo(
            f"{row['status']:10} {row['parser']:6} {row['pages']:>5} {row['ocr']:>4} "
            f"{row['no text']:>7} {row['sections']:>8} {row['entities']:>8} "
            f"{row['seconds']:>7.2f}  {row['path']}"
        )
        if row["reason"]:
            click.echo(f"{'':70}{row['reason']}")
    click.echo("\nRuns:")
    for row in map(shown.run_row, history["runs"]):
        click.echo(f"{row['run']:>5}  {row['started']}  {row['state']:>12}  {row['counts']}")


@cli.command()
@index_option
@click.option(
    "--repair",
    is_flag=True,
    help="Rewrite what disagrees in the index from the catalog; rebuild an unreadable one.",
)
@json_option("The check as one JSON object.")
def check(index_dir: Path | None, repair: bool, as_json: bool) -> None:
    """Check that the catalog and the search index agree: every document in both, with
    the same sections and the same stored content (text, areas, years, entity tags),
    every segment of the index read in full. --repair rewrites what disagrees and
    rebuilds an index it cannot read. Exits 1 when they disagree (after --repair: when
    they still do). Waits for a running ingest or entity edit to finish first."""
    from ingest.store.check import check_index
    from ingest.store.store import open_catalog

    index = resolve_index(index_dir)
    open_catalog(index).close()  # IndexMissing when there is no index there
    before, after = check_index(index, repair=repair, on_wait=echo_wait)
    final = after or before
    if as_json:
        data = before.to_dict()
        if after is not None:
            data["after_repair"] = after.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False))
    else:
        click.echo(before.summary())
        for doc_id in [] if before.unreadable else before.missing:
            click.echo(f"  missing from the index: {doc_id}")
        for doc_id in before.extra:
            click.echo(f"  in the index only: {doc_id}")
        for doc_id, (in_catalog, in_index) in before.mismatched.items():
            click.echo(f"  {doc_id}: {in_catalog} sections in the catalog, {in_index} in the index")
        for doc_id in before.differs:
            click.echo(f"  {doc_id}: its sections in the index differ from the catalog's")
        if after is not None and before.disagreements:
            click.echo(f"repaired: {after.summary()}")
    sys.exit(1 if final.disagreements else 0)


@cli.command()
@click.argument("query")
@index_option
@district_option(
    "CSP area, by any of its names, or a county for all its districts (repeatable).",
    repeatable=True,
)
@year_option("Financial year, e.g. 2019, 2019-20 or 2019/20: sections overlapping it.")
@year_range_options()
@click.option(
    "--type",
    "doc_types",
    multiple=True,
    type=click.Choice(DOC_TYPES),
    help="Document type (repeatable).",
)
@click.option(
    "--initiative",
    "initiatives",
    multiple=True,
    help="Sections naming this initiative (repeatable).",
)
@click.option(
    "--partner", "partners", multiple=True, help="Sections naming this partner (repeatable)."
)
@click.option("--theme", "themes", multiple=True, help="Sections on this theme (repeatable).")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="Documents per page.",
)
@click.option(
    "--offset",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Skip this many documents: --offset 20 shows the second page of 20.",
)
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default=SORTS[0],
    show_default=True,
    help="Best match first, latest financial year first, or by CSP area.",
)
@click.option(
    "--passages",
    "list_passages",
    is_flag=True,
    help="Under each document, list its other matching passages too.",
)
@json_option(
    "One JSON object: total_documents, total_passages, offset, sort, suggestion, "
    "unmatched and hits, each with more_passages and its passages. In each, " + CITED
)
def search(
    query: str,
    index_dir: Path | None,
    districts: tuple[str, ...],
    year: str | None,
    year_from: str | None,
    year_to: str | None,
    doc_types: tuple[str, ...],
    initiatives: tuple[str, ...],
    partners: tuple[str, ...],
    themes: tuple[str, ...],
    limit: int,
    offset: int,
    sort: str,
    list_passages: bool,
    as_json: bool,
) -> None:
    """Search: one result per document, its best passage first, with "N more passages in
    this document"; best first by every word, none required; "quoted phrases", AND, OR,
    NOT, brackets and +word are strict.

    Question words cost nothing ("what did other CSPs do on street pastors"), words
    standing together rank first, and acronyms find their names ("DA": "domestic
    abuse"). Matching ignores case, punctuation and word endings, so "Spot It, Stop It"
    finds "Spot it Stop it" and "exploited" finds "exploitation". A PDF and its text
    twin, or a report and its copy in an agenda pack, show once, "also in" the other.
    The first line gives the totals ("1–20 of 57 documents (143 passages)"); a word found
    nowhere is named, with a suggestion from the index's own words. QUERY may be "" when
    filtering by initiative, partner or theme alone.  Each hit shows its CSP area, period
    and, where the text prints one, its document's date (the day it was published or its
    meeting held).
    """
    from ingest.answers.queries import build_filters, search_documents

    filters = build_filters(
        districts, year, year_from, year_to, doc_types, initiatives, partners, themes
    )
    index = resolve_index(index_dir)
    page = search_documents(index, query, filters, limit, offset, sort, list_passages or as_json)
    if as_json:
        click.echo(json.dumps(cited(index, page.to_dict()), ensure_ascii=False))
        return
    click.echo(shown.totals_label(page) + ".")
    if page.unmatched:
        click.echo(shown.unmatched_label(page.unmatched))
    if page.suggestion:
        click.echo(f"Did you mean: {page.suggestion}")
    for number, hit in enumerate(page.hits, offset + 1):
        row = shown.hit_row(hit)
        found_in = shown.citation(row["document"], row["type"], shown.page_label(row["page"]))
        dated = f", dated {row['date']}" if row["date"] else ""
        click.echo(f"{number}. {row['CSP area']} {row['period']}{dated} — {found_in}")
        if row["heading"]:
            click.echo(f"   {row['heading']}")
        click.echo(f"   {row['snippet']}")
        click.echo(f"   {source_line(row)}")
        if row["synonyms"]:
            click.echo(f"   {row['synonyms']}")
        if more := shown.more_passages_label(hit):
            click.echo(f"   {more}" + (":" if hit.passages else ""))
        for passage in hit.passages:
            where = shown.citation(
                shown.heading_label(passage.heading_path) or row["document"],
                shown.page_label(passage.page),
            )
            click.echo(f"   - {where}")
            click.echo(f"     {passage.snippet}")
    following = offset + len(page.hits)
    if page.hits and following < page.total_documents:
        click.echo(f"More: add --offset {following}.")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option("The full extraction as JSON.")
def extract(file: Path, as_json: bool) -> None:
    """Show what ingest would store for FILE, without touching the index."""
    from ingest.errors import ReaderError
    from ingest.pipeline.extract import extract_file
    from ingest.readers.pdf.document import pages_label

    try:
        extraction = extract_file(file)
    except ReaderError as error:
        raise click.ClickException(f"{printable_path(file)}: {error}") from error
    if as_json:
        click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
        return
    pages = f", {extraction.page_count} pages" if extraction.page_count else ""
    click.echo(
        f"{printable_path(file)} ({extraction.format}{pages}): "
        f"{len(extraction.documents)} documents"
    )
    if extraction.ocr_pages:
        click.echo(f"  OCR'd: {pages_label(extraction.ocr_pages)}")
    for warning in extraction.warnings:
        click.echo(f"  warning: {warning}")
    for document in extraction.documents:
        click.echo(
            f"- {document.title}\n    {document.doc_type.value}; "
            f"{shown.area_label(document.districts, document.county)}; "
            f"{shown.period_label(document.period)}; {len(document.sections)} sections"
        )


def cited(index: Path, records: Any) -> Any:
    """`--json` records with each file named as a reader cites it: `source` the link it
    was published at (null when unknown), a readable `name`, and `file`, its path on
    this machine; `also_in` names the other copies alike."""
    from ingest.answers.queries import provenance_by_file

    return shown.cited_json(records, provenance_by_file(index, shown.stored_files(records)))


def source_line(row: dict) -> str:
    """'source: https://… · Publisher · retrieved 2024-05-01 · plan.pdf (also as TXT)':
    where a result's document came from, as far as it is known, and its file."""
    known = shown.provenance_label(row["source link"], row["publisher"], row["retrieved"])
    return "source: " + " · ".join(part for part in (known, row["file"]) if part)


@cli.command()
@index_option
@json_option("One JSON object per line: " + CITED)
def docs(index_dir: Path | None, as_json: bool) -> None:
    """List the documents in the index with type, CSP, period, date, where each came
    from (source link, publisher, day retrieved), its file and the document each
    duplicates."""
    from ingest.answers.queries import document_rows

    index = resolve_index(index_dir)
    documents = document_rows(index)
    for document in cited(index, documents) if as_json else documents:
        if as_json:
            click.echo(json.dumps(document, ensure_ascii=False))
            continue
        row = shown.document_row(document)
        click.echo(f"{row['type']:20} {row['CSP area']:28} {row['period']:21} {row['title'][:70]}")
        dated = f", dated {row['date']}" if row["date"] else ""
        duplicate = f" (duplicate of {row['duplicate of']})" if row["duplicate of"] else ""
        click.echo(f"{'':20} {source_line(row)}{dated}{duplicate}")


@cli.command()
@index_option
@click.option(
    "--district",
    "--area",
    "districts",
    multiple=True,
    help="Only this CSP area, by any of its names; a county: its districts and itself as a "
    "whole. Repeatable.",
)
@json_option(
    "One JSON object: documents, areas, year_from, year_to, doc_types and coverage, one "
    "row per area, year and document type with its number of documents."
)
def coverage(index_dir: Path | None, districts: tuple[str, ...], as_json: bool) -> None:
    """What the index holds: its documents by CSP area, financial year and document type,
    so that "no results" can be told from "not collected". A near-duplicate (a PDF and its
    text twin) is one document; a document counts for every area and year its passages
    are about."""
    from ingest.answers.coverage import coverage as read_coverage

    held = read_coverage(resolve_index(index_dir), districts)
    if as_json:
        click.echo(json.dumps({**held.summary(), "coverage": held.rows()}, ensure_ascii=False))
        return
    click.echo(shown.coverage_label(held.summary()))
    kinds: dict[tuple[str, str], list[str]] = {}
    for row in held.rows():
        kinds.setdefault((row["area"], row["period"]), []).append(
            f"{row['doc_type']} ({row['documents']})"
        )
    for area, periods in held.matrix().items():
        click.echo(f"\n{area}")
        for period, documents in periods.items():
            click.echo(f"  {period:21} {documents:4}  {', '.join(kinds[(area, period)])}")


@cli.group(invoke_without_command=True)
@index_option
@entity_type_option("Only this type.")
@json_option()
@click.pass_context
def entities(
    context: click.Context, index_dir: Path | None, entity_type: str | None, as_json: bool
) -> None:
    """List canonical initiatives and partners with the number of passages naming them
    (each once, a PDF and its text twin one passage), of mentions and of documents, and
    the CSP areas and financial years they appear in; or correct the entity data (see
    the commands below)."""
    if context.invoked_subcommand is not None:
        return
    from ingest.answers.queries import ENTITY_TYPES, entity_summaries

    label = ENTITY_TYPES[entity_type] if entity_type else None
    rows = entity_summaries(resolve_index(index_dir), label)
    for summary in rows:
        if as_json:
            click.echo(json.dumps(summary, ensure_ascii=False))
            continue
        row = shown.entity_row(summary)
        click.echo(f"{row['type']:10} {row['passages']:4}  {row['name']}")
        click.echo(f"{'':16}{row['CSP areas']}")


def relinked(index_dir: Path | None, edit: Callable[[], None]) -> None:
    """Run an entity edit under the index folder's writer lock and re-link the mentions."""
    from ingest.pipeline.ingest import edit_entities

    report = edit_entities(resolve_index(index_dir), edit, on_wait=echo_wait)
    for notice in report.notices if report else []:
        click.echo(f"note: {notice}", err=True)
    if report is None:
        click.echo("Entity data updated; no index to re-link yet.")
        return
    click.echo(
        f"Entity data updated; re-linked {report.relinked} mentions, dropped {report.dropped}, "
        f"re-indexed {report.documents} documents."
    )


def entity_label(name: str, entity_type: str | None) -> str:
    from ingest.answers.queries import ENTITY_TYPES, resolve_entity

    return ENTITY_TYPES[entity_type] if entity_type else resolve_entity(name)[0]


@entities.command()
@click.argument("keep")
@click.argument("absorb")
@index_option
@entity_type_option("Default: KEEP's type.")
def merge(keep: str, absorb: str, index_dir: Path | None, entity_type: str | None) -> None:
    """Make ABSORB (and its aliases) another name for KEEP, in models/entities, and
    re-link the stored mentions without re-reading any document."""
    from ingest.nlp.linking import EntityData

    label = entity_label(keep, entity_type)
    relinked(index_dir, lambda: EntityData().merge(keep, absorb, label))


@entities.command()
@click.argument("name")
@click.argument("alias")
@index_option
@entity_type_option("Default: NAME's type.")
def alias(name: str, alias: str, index_dir: Path | None, entity_type: str | None) -> None:
    """Add ALIAS as another way of writing NAME, and re-link the stored mentions."""
    from ingest.nlp.linking import EntityData

    label = entity_label(name, entity_type)
    relinked(index_dir, lambda: EntityData().add_alias(name, alias, label))


@entities.command()
@click.argument("name")
@index_option
def drop(name: str, index_dir: Path | None) -> None:
    """NAME is not an entity: remove its patterns, ignore what the model finds of it, and
    remove its stored mentions."""
    from ingest.nlp.linking import EntityData

    relinked(index_dir, lambda: EntityData().drop(name))


@cli.command()
@click.argument("name")
@index_option
@json_option("The entity as one JSON object. In each mention, " + CITED)
def entity(name: str, index_dir: Path | None, as_json: bool) -> None:
    """One initiative or partner: canonical name, type, aliases, and every CSP area and
    financial year it appears in, each passage naming it with its snippets, heading path
    and page. A passage counts once however often it names it, and a PDF and its text
    twin are one passage, shown from the PDF with its page."""
    from ingest.answers.queries import entity_detail

    index = resolve_index(index_dir)
    detail = entity_detail(index, name)
    if detail is None:
        raise click.ClickException(f"no mention of {name!r} in the index")
    if as_json:
        click.echo(json.dumps(cited(index, detail), ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{detail['name']} ({detail['type']}{', ' + detail['kind'] if detail['kind'] else ''})"
    )
    if detail["aliases"]:
        click.echo(f"  also written: {'; '.join(detail['aliases'][:12])}")
    passages = shown.plural(detail["passages"], "passage")
    click.echo(f"  {passages} naming it ({shown.plural(detail['mentions'], 'mention')})")
    for appearance in detail["appearances"]:
        click.echo(f"\n{appearance['area']} {appearance['period']}")
        for mention in appearance["mentions"]:
            row = shown.mention_row(appearance, mention)
            click.echo(
                f"  - {shown.citation(row['document'], row['type'], shown.page_label(row['page']))}"
            )
            click.echo(f"    {row['heading']}")
            click.echo(f"    {row['snippet']}")


@cli.command()
@index_option
@district_option("CSP area, by any of its names, or a county.")
@year_option()
@json_option("One JSON object per line: " + CITED)
def priorities(index_dir: Path | None, district: str | None, year: str | None, as_json: bool):
    """The priorities plans and reports state for their CSP, each with its themes."""
    from ingest.answers.queries import priority_rows

    index = resolve_index(index_dir)
    rows = priority_rows(index, district, year)
    if not rows and not as_json:
        click.echo("No stated priorities found.")
    for priority in cited(index, rows) if as_json else rows:
        if as_json:
            click.echo(json.dumps(priority, ensure_ascii=False))
            continue
        row = shown.priority_row(priority)
        click.echo(f"{row['CSP area']} {row['period']}: {row['priority']} [{row['themes']}]")


@cli.command()
@index_option
@district_option("CSP area, by any of its names, or a county.")
@year_option()
@json_option("One JSON object per line: " + CITED)
def figures(index_dir: Path | None, district: str | None, year: str | None, as_json: bool):
    """Figures the documents report (money, counts, percentages, rates) with what they
    count or paid for, for a CSP and year."""
    from ingest.answers.queries import figure_rows

    index = resolve_index(index_dir)
    rows = figure_rows(index, district, year)
    if not rows and not as_json:
        click.echo("No figures found.")
    for figure in cited(index, rows) if as_json else rows:
        if as_json:
            click.echo(json.dumps(figure, ensure_ascii=False))
            continue
        row = shown.figure_row(figure)
        what = f" {row['what']}" if row["what"] else ""
        direction = f" ({row['direction']})" if row["direction"] else ""
        found_in = shown.citation(row["document"][:60], shown.page_label(row["page"]))
        click.echo(
            f"{row['CSP area']} {row['period']}: {row['figure']}{what}{direction} "
            f"[{row['unit']}] — {found_in}"
        )


@cli.command()
@index_option
@district_option()
@year_option("Financial year the commitments are for, e.g. 2018, 2018-19 or 2018/19.")
@json_option("One JSON object per line: " + CITED)
def commitments(index_dir: Path | None, district: str | None, year: str | None, as_json: bool):
    """What plans, reports and minutes commit to: action-plan rows, "we will ..."
    statements, next year's priorities, resolutions and actions in minutes, each with
    its owner, timescale, document and page."""
    from ingest.answers.tracing import list_commitments

    index = resolve_index(index_dir)
    rows = list_commitments(index, district, year)
    if as_json:
        traced_only = ("status", "confidence", "evidence", "searched", "years_covered")
        records = [
            {key: value for key, value in row.to_dict().items() if key not in traced_only}
            for row in rows
        ]
        for data in cited(index, records):
            click.echo(json.dumps(data, ensure_ascii=False))
        return
    if not rows:
        click.echo("No commitments found.")
    for commitment in rows:
        row = shown.commitment_row(commitment)
        owner = f" — {row['owner']}" if row["owner"] else ""
        click.echo(
            f"{row['CSP area']} {row['period']} [{row['kind']}] {row['commitment'][:110]}{owner}"
        )
        click.echo(f"    {shown.citation(row['document'][:70], shown.page_label(row['page']))}")


@cli.command()
@index_option
@district_option()
@year_range_options("of the commitments")
@click.option("--status", type=click.Choice(TRACE_STATUSES), help="Only this status.")
@json_option("One JSON object per line, its evidence in it: " + CITED)
@click.option(
    "--csv",
    "csv_file",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write one row per commitment to this CSV file.",
)
def trace(
    index_dir: Path | None,
    district: str | None,
    year_from: str | None,
    year_to: str | None,
    status: str | None,
    as_json: bool,
    csv_file: Path | None,
) -> None:
    """What later documents of the same CSP say became of each commitment: delivered,
    in progress, carried forward, changed or dropped, or no later mention found (with
    the later documents searched), each with quoted evidence, its page and a confidence;
    evidence of delivery too weak to claim it is "unclear". The first line counts them by
    status."""
    from ingest.answers.tracing import trace_commitments

    index = resolve_index(index_dir)
    traces = trace_commitments(index, district, year_from, year_to, status)
    if csv_file is not None:
        csv_file.write_text(shown.commitments_csv(traces), encoding="utf-8")
    if as_json:
        for data in cited(index, [item.to_dict() for item in traces]):
            click.echo(json.dumps(data, ensure_ascii=False))
        return
    if not traces:
        click.echo("No commitments found.")
    else:
        click.echo(f"{shown.plural(len(traces), 'commitment')}: {shown.tally_label(traces)}")
    for item in traces:
        row = shown.commitment_row(item)
        click.echo(f"{row['CSP area']} {row['period']} [{row['kind']}] {row['commitment'][:110]}")
        click.echo(f"    {row['status']} (confidence {row['confidence']:.2f})")
        for evidence in map(shown.evidence_row, item.evidence):
            found_in = shown.citation(
                evidence["document"][:60], evidence["period"], shown.page_label(evidence["page"])
            )
            click.echo(f"    - {found_in}: {evidence['quote'][:140]}")
        if not item.evidence and item.searched:
            click.echo(f"    {shown.searched_label(item)}")


@cli.command()
@click.option(
    "--no-data", is_flag=True, help="Train on models/ner/data as it is; do not rebuild it."
)
def train(no_data: bool) -> None:
    """Rebuild the training data and train the INITIATIVE/PARTNER recogniser into
    models/ner/model (a few minutes on two cores)."""
    from ingest.training.train import build_training_data
    from ingest.training.train import train as train_model

    if not no_data:
        counts = build_training_data()
        click.echo(f"training data: {counts['train']} train, {counts['dev']} dev examples")
    target = train_model(rebuild_data=False)
    click.echo(f"model written to {target}")


@cli.command(name="eval")
@json_option("All figures as one JSON object.")
@click.option(
    "--set",
    "labelled_set",
    type=click.Choice(["eval", "dev", "real"]),
    default="eval",
    show_default=True,
    help="eval: every stage on the held-out set in models/eval; dev: commitment tracing "
    "alone, with its errors, on the tuning set in models/dev; real: attribution, titles, "
    "entities and figures on the real public texts in models/real, with every error.",
)
@click.option(
    "--pdfs",
    "pdf_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar="CSP_REAL_PDFS",
    help="With --set real: the folder holding the real PDFs of models/real/pdfs.jsonl "
    "(not committed; models/real/fetch_pdfs.md). Default: $CSP_REAL_PDFS.",
)
def evaluate(as_json: bool, labelled_set: str, pdf_dir: Path | None) -> None:
    """Precision, recall and F1 of entities, figures, priorities, attribution and
    commitment tracing on the hand-labelled test set in models/eval (never trained or
    tuned on); --set dev scores tracing on the set it is tuned on; --set real scores
    attribution and entities on real publications from all over England and Wales."""
    from ingest.training.evaluate import (
        DEV_DIR,
        evaluate_all,
        evaluate_commitments,
        format_dev_report,
        format_report,
    )

    if labelled_set == "dev":
        commitments = evaluate_commitments(DEV_DIR)
        report = {"commitments": commitments}
        click.echo(json.dumps(report, indent=2) if as_json else format_dev_report(commitments))
        return
    if labelled_set == "real":
        from ingest.training.real import evaluate_real, format_real_report

        report = evaluate_real(pdf_dir)
        click.echo(json.dumps(report, indent=2) if as_json else format_real_report(report))
        return
    report = evaluate_all()
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


if __name__ == "__main__":  # python -m ingest.cli, as `csp`
    cli(prog_name="csp")
