"""The `csp` command: thin wrappers that check arguments and call plain functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from tqdm import tqdm

from ingest import __version__
from ingest.model import DocType
from ingest.paths import default_index_dir

DOC_TYPES = [doc_type.value for doc_type in DocType]

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index folder (catalog + Whoosh index). Default: $CSP_INDEX, else "
    "~/.local/share/csp-search/index.",
)


def resolve_index(index_dir: Path | None) -> Path:
    return index_dir if index_dir is not None else default_index_dir()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csp")
def cli() -> None:
    """CSP Search: find what Community Safety Partnerships did, where, when, and whether
    it worked.

    Ingest CSP publications (PDF, text, HTML), then search them by CSP area, financial
    year and document type.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes that parse files in parallel.",
)
@click.option("--force", is_flag=True, help="Re-ingest files even if unchanged.")
@click.option("--silent", is_flag=True, help="No progress bar or per-file lines; summary only.")
def ingest(
    paths: tuple[Path, ...], index_dir: Path | None, workers: int, force: bool, silent: bool
) -> None:
    """Ingest files and folders (recursively) into the index.

    Prints one status line per file (ingested, unchanged, duplicate, failed: reason) and
    a summary. Exits 0 when every file was ingested or skipped, 1 when any failed; the
    others are ingested all the same.
    """
    from ingest.pipeline import ingest_paths

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

    from ingest.schema import SchemaMismatch

    try:
        report = ingest_paths(
            paths,
            resolve_index(index_dir),
            workers=workers,
            force=force,
            on_result=on_result,
            on_start=on_start,
        )
    except SchemaMismatch as error:
        raise click.ClickException(str(error)) from error
    if bar is not None:
        bar.close()
    click.echo(report.summary())
    sys.exit(1 if report.failed else 0)


@cli.command()
@click.argument("query")
@index_option
@click.option("--district", "districts", multiple=True, help="CSP area (repeatable).")
@click.option("--year", help="Financial year, e.g. 2019 or 2019-20 (sections overlapping it).")
@click.option("--from", "year_from", help="First financial year of a range.")
@click.option("--to", "year_to", help="Last financial year of a range.")
@click.option(
    "--type",
    "doc_types",
    multiple=True,
    type=click.Choice(DOC_TYPES),
    help="Document type (repeatable).",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def search(
    query: str,
    index_dir: Path | None,
    districts: tuple[str, ...],
    year: str | None,
    year_from: str | None,
    year_to: str | None,
    doc_types: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Search sections: words are ANDed; "quoted phrases", AND, OR, NOT and brackets work.

    Matching ignores case and punctuation, so "Spot It, Stop It" finds "Spot it Stop it".
    """
    from ingest.queries import FilterError, build_filters, run_search
    from ingest.search import QueryError

    try:
        filters = build_filters(districts, year, year_from, year_to, doc_types)
        hits = run_search(resolve_index(index_dir), query, filters, limit)
    except (FilterError, QueryError) as error:
        raise click.UsageError(str(error)) from error
    if as_json:
        for hit in hits:
            click.echo(json.dumps(hit.to_dict(), ensure_ascii=False))
        return
    if not hits:
        click.echo("No results.")
        return
    for number, hit in enumerate(hits, 1):
        where = ", ".join(hit.districts) or hit.county or "area unknown"
        page = f", p. {hit.page}" if hit.page else ""
        click.echo(f"{number}. {where} {hit.period or ''} — {hit.title} ({hit.doc_type}{page})")
        if hit.heading_path:
            click.echo(f"   {' > '.join(hit.heading_path)}")
        click.echo(f"   {hit.snippet}")
        if hit.also_in:
            click.echo(f"   also in: {', '.join(hit.also_in)}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="The full extraction as JSON.")
def extract(file: Path, as_json: bool) -> None:
    """Show what ingest would store for FILE, without touching the index."""
    from ingest.extract import extract_file
    from ingest.readers import ReaderError

    try:
        extraction = extract_file(file)
    except ReaderError as error:
        raise click.ClickException(f"{file}: {error}") from error
    if as_json:
        click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
        return
    pages = f", {extraction.page_count} pages" if extraction.page_count else ""
    click.echo(f"{file} ({extraction.format}{pages}): {len(extraction.documents)} documents")
    for warning in extraction.warnings:
        click.echo(f"  warning: {warning}")
    for document in extraction.documents:
        click.echo(
            f"- {document.title}\n    {document.doc_type.value}; "
            f"{', '.join(document.districts) or document.county or 'area unknown'}; "
            f"{document.period or 'period unknown'}; {len(document.sections)} sections"
        )


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def docs(index_dir: Path | None, as_json: bool) -> None:
    """List the documents in the index with type, CSP, period and source."""
    from ingest.queries import FilterError, document_rows

    try:
        rows = document_rows(resolve_index(index_dir))
    except FilterError as error:
        raise click.ClickException(str(error)) from error
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        where = ", ".join(row["districts"]) or row["county"] or "area unknown"
        period = row["period"] or "period unknown"
        click.echo(f"{row['doc_type']:20} {where:28} {period:20} {row['title'][:70]}")
        click.echo(f"{'':20} {row['source']}")
