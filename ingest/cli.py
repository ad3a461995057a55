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
    initiatives: tuple[str, ...],
    partners: tuple[str, ...],
    themes: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Search sections: words are ANDed; "quoted phrases", AND, OR, NOT and brackets work.

    Matching ignores case and punctuation, so "Spot It, Stop It" finds "Spot it Stop it".
    QUERY may be "" when filtering by initiative, partner or theme alone.
    """
    from ingest.queries import FilterError, build_filters, run_search
    from ingest.search import QueryError

    try:
        filters = build_filters(
            districts, year, year_from, year_to, doc_types, initiatives, partners, themes
        )
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
    from ingest.readers.pdf import pages_label

    try:
        extraction = extract_file(file)
    except ReaderError as error:
        raise click.ClickException(f"{file}: {error}") from error
    if as_json:
        click.echo(json.dumps(extraction.to_dict(), ensure_ascii=False, indent=2))
        return
    pages = f", {extraction.page_count} pages" if extraction.page_count else ""
    click.echo(f"{file} ({extraction.format}{pages}): {len(extraction.documents)} documents")
    if extraction.ocr_pages:
        click.echo(f"  OCR'd: {pages_label(extraction.ocr_pages)}")
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


ENTITY_TYPE_CHOICES = click.Choice(["initiative", "partner"])


def fail_on_filter_error(function, *args, **kwargs):
    """Run a query function, turning a FilterError into a one-line CLI error."""
    from ingest.queries import FilterError

    try:
        return function(*args, **kwargs)
    except FilterError as error:
        raise click.ClickException(str(error)) from error


@cli.group(invoke_without_command=True)
@index_option
@click.option("--type", "entity_type", type=ENTITY_TYPE_CHOICES, help="Only this type.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.pass_context
def entities(
    context: click.Context, index_dir: Path | None, entity_type: str | None, as_json: bool
) -> None:
    """List canonical initiatives and partners with their mention counts and the CSP
    areas and financial years they appear in; or correct the entity data (see the
    commands below)."""
    if context.invoked_subcommand is not None:
        return
    from ingest.queries import ENTITY_TYPES, entity_summaries

    label = ENTITY_TYPES[entity_type] if entity_type else None
    rows = fail_on_filter_error(entity_summaries, resolve_index(index_dir), label)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        areas = "; ".join(f"{area} {', '.join(years)}" for area, years in row["areas"].items())
        click.echo(f"{row['type']:10} {row['mentions']:4}  {row['name']}")
        click.echo(f"{'':16}{areas}")


def relinked(index_dir: Path | None) -> None:
    from ingest.pipeline import CATALOG_FILE, relink_entities

    index = resolve_index(index_dir)
    if not (index / CATALOG_FILE).exists():
        click.echo("Entity data updated; no index to re-link yet.")
        return
    from ingest.schema import SchemaMismatch

    try:
        report = relink_entities(index)
    except SchemaMismatch as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Entity data updated; re-linked {report.relinked} mentions, dropped {report.dropped}, "
        f"re-indexed {report.documents} documents."
    )


def entity_label(name: str, entity_type: str | None) -> str:
    from ingest.queries import ENTITY_TYPES, resolve_entity

    return ENTITY_TYPES[entity_type] if entity_type else resolve_entity(name)[0]


@entities.command()
@click.argument("keep")
@click.argument("absorb")
@index_option
@click.option("--type", "entity_type", type=ENTITY_TYPE_CHOICES, help="Default: KEEP's type.")
def merge(keep: str, absorb: str, index_dir: Path | None, entity_type: str | None) -> None:
    """Make ABSORB (and its aliases) another name for KEEP, in models/entities, and
    re-link the stored mentions without re-reading any document."""
    from ingest.linking import EntityData

    EntityData().merge(keep, absorb, entity_label(keep, entity_type))
    relinked(index_dir)


@entities.command()
@click.argument("name")
@click.argument("alias")
@index_option
@click.option("--type", "entity_type", type=ENTITY_TYPE_CHOICES, help="Default: NAME's type.")
def alias(name: str, alias: str, index_dir: Path | None, entity_type: str | None) -> None:
    """Add ALIAS as another way of writing NAME, and re-link the stored mentions."""
    from ingest.linking import EntityData

    EntityData().add_alias(name, alias, entity_label(name, entity_type))
    relinked(index_dir)


@entities.command()
@click.argument("name")
@index_option
def drop(name: str, index_dir: Path | None) -> None:
    """NAME is not an entity: remove its patterns, ignore what the model finds of it, and
    remove its stored mentions."""
    from ingest.linking import EntityData

    EntityData().drop(name)
    relinked(index_dir)


@cli.command()
@click.argument("name")
@index_option
@click.option("--json", "as_json", is_flag=True, help="The entity as one JSON object.")
def entity(name: str, index_dir: Path | None, as_json: bool) -> None:
    """One initiative or partner: canonical name, type, aliases, and every CSP area and
    financial year it appears in, each mention with its snippet, heading path and page."""
    from ingest.queries import entity_detail

    detail = fail_on_filter_error(entity_detail, resolve_index(index_dir), name)
    if detail is None:
        raise click.ClickException(f"no mention of {name!r} in the index")
    if as_json:
        click.echo(json.dumps(detail, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{detail['name']} ({detail['type']}{', ' + detail['kind'] if detail['kind'] else ''})"
    )
    if detail["aliases"]:
        click.echo(f"  also written: {'; '.join(detail['aliases'][:12])}")
    for appearance in detail["appearances"]:
        click.echo(f"\n{appearance['area']} {appearance['period']}")
        for mention in appearance["mentions"]:
            page = f", p. {mention['page']}" if mention["page"] else ""
            click.echo(f"  - {mention['title']} ({mention['doc_type']}{page})")
            click.echo(f"    {' > '.join(mention['heading_path'])}")
            click.echo(f"    {mention['snippet']}")


@cli.command()
@index_option
@click.option("--district", help="CSP area.")
@click.option("--year", help="Financial year, e.g. 2017 or 2017-18.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def priorities(index_dir: Path | None, district: str | None, year: str | None, as_json: bool):
    """The priorities plans and reports state for their CSP, each with its themes."""
    from ingest.queries import priority_rows

    rows = fail_on_filter_error(priority_rows, resolve_index(index_dir), district, year)
    if not rows and not as_json:
        click.echo("No stated priorities found.")
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        themes = ", ".join(row["themes"]) or "no theme"
        click.echo(f"{', '.join(row['areas'])} {row['period'] or ''}: {row['priority']} [{themes}]")


@cli.command()
@index_option
@click.option("--district", help="CSP area.")
@click.option("--year", help="Financial year, e.g. 2022 or 2022-23.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def figures(index_dir: Path | None, district: str | None, year: str | None, as_json: bool):
    """Figures the documents report (money, counts, percentages, rates) with what they
    count or paid for, for a CSP and year."""
    from ingest.queries import figure_rows

    rows = fail_on_filter_error(figure_rows, resolve_index(index_dir), district, year)
    if not rows and not as_json:
        click.echo("No figures found.")
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        counted = f" {row['counted']}" if row["counted"] else ""
        direction = f" ({row['direction']})" if row["direction"] else ""
        page = f", p. {row['page']}" if row["page"] else ""
        click.echo(
            f"{', '.join(row['areas'])} {row['period'] or ''}: {row['figure']}{counted}"
            f"{direction} [{row['unit']}] — {row['title'][:60]}{page}"
        )


@cli.command()
@click.option(
    "--no-data", is_flag=True, help="Train on models/ner/data as it is; do not rebuild it."
)
def train(no_data: bool) -> None:
    """Rebuild the training data and train the INITIATIVE/PARTNER recogniser into
    models/ner/model (a few minutes on two cores)."""
    from ingest.training import build_training_data
    from ingest.training import train as train_model

    if not no_data:
        counts = build_training_data()
        click.echo(f"training data: {counts['train']} train, {counts['dev']} dev examples")
    target = train_model(rebuild_data=False)
    click.echo(f"model written to {target}")


@cli.command(name="eval")
@click.option("--json", "as_json", is_flag=True, help="All figures as one JSON object.")
def evaluate(as_json: bool) -> None:
    """Precision, recall and F1 of entities, figures, priorities and attribution on the
    hand-labelled test set in models/eval (never trained on)."""
    from ingest.evaluation import evaluate_all, format_report

    report = evaluate_all()
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
