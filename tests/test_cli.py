"""The `csp` command in-process, on the real sample corpus and real files on disk."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index

from ingest.cli import cli
from ingest.paths import MODELS_DIR
from ingest.search.registry import recorded_backend
from ingest.search.tantivy.index import TANTIVY_DIR
from ingest.search.tantivy.schema import TANTIVY_SCHEMA_VERSION, VERSION_FILE
from ingest.search.whoosh.index import WHOOSH_DIR

from samples import BRAINTREE_2022, sample


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def search_json(index: Path, *args: str) -> list[dict]:
    code, output = run("search", *args, "--json", "--index", str(index), "--limit", "50")
    assert code == 0, output
    return json.loads(output)["hits"]


def test_j9_is_found_for_braintree_colchester_and_rochford(corpus_index: Path) -> None:
    hits = search_json(corpus_index, "J9")
    found = {(tuple(hit["districts"]), hit["year_from"]) for hit in hits}
    assert (("Braintree",), 2022) in found
    assert (("Colchester",), 2019) in found
    assert (("Rochford",), 2011) in found
    for hit in hits:
        assert "J9" in hit["snippet"]
        assert isinstance(hit["heading_path"], list)
        assert set(hit) >= {
            "doc_id",
            "title",
            "source",
            "doc_type",
            "districts",
            "year_from",
            "year_to",
            "period",
            "heading_path",
            "page",
            "score",
            "snippet",
        }
    braintree = next(hit for hit in hits if hit["districts"] == ["Braintree"])
    assert braintree["period"] == "2022-23"
    assert braintree["heading_path"][-1] == "'J9' Domestic Abuse training"
    pdf_hits = [hit for hit in hits if hit["file"].endswith(".pdf")]
    assert pdf_hits and all(isinstance(hit["page"], int) for hit in pdf_hits)


def test_pdf_and_text_twins_are_shown_once(corpus_index: Path) -> None:
    hits = search_json(corpus_index, "J9")
    braintree = [hit for hit in hits if hit["districts"] == ["Braintree"]]
    assert len(braintree) == 1
    assert braintree[0]["file"].endswith(".pdf")
    assert braintree[0]["also_in"] and braintree[0]["also_in"][0]["file"].endswith(".txt")


def test_spot_it_stop_it_across_years_and_areas(corpus_index: Path) -> None:
    hits = search_json(corpus_index, "Spot It Stop It")
    braintree_years = {hit["year_from"] for hit in hits if "Braintree" in hit["districts"]}
    assert len(braintree_years) >= 2
    assert any(hit["districts"] == ["Colchester"] and hit["year_from"] == 2019 for hit in hits)

    only = search_json(
        corpus_index, "Spot It Stop It", "--district", "Colchester", "--year", "2019"
    )
    assert only
    assert all(hit["districts"] == ["Colchester"] for hit in only)


def test_punctuation_and_case_do_not_matter(corpus_index: Path) -> None:
    plain = {hit["doc_id"] for hit in search_json(corpus_index, '"spot it stop it"')}
    punctuated = {hit["doc_id"] for hit in search_json(corpus_index, '"Spot It, Stop It"')}
    assert plain and plain == punctuated


def test_bad_filter_values_get_a_clear_message(corpus_index: Path) -> None:
    result = CliRunner().invoke(
        cli, ["search", "J9", "--district", "Atlantis", "--index", str(corpus_index)]
    )
    assert result.exit_code == 2
    assert "unknown CSP area 'Atlantis'" in result.output


def test_extract_json_lists_documents_and_sections() -> None:
    code, output = run("extract", str(sample(BRAINTREE_2022, "pdf")), "--json")
    assert code == 0
    data = json.loads(output)
    (document,) = data["documents"]
    assert document["doc_type"] == "annual report"
    assert document["districts"] == ["Braintree"]
    assert (document["year_from"], document["year_to"], document["period"]) == (
        2022,
        2022,
        "2022-23",
    )
    section = document["sections"][0]
    assert {"heading_path", "page_start", "page_end", "districts", "year_from"} <= set(section)


def test_docs_lists_ingested_documents(corpus_index: Path) -> None:
    code, output = run("docs", "--json", "--index", str(corpus_index))
    assert code == 0
    documents = [json.loads(line) for line in output.splitlines()]
    assert any(d["doc_type"] == "prospectus" and d["county"] == "Essex" for d in documents)
    assert any(d["duplicate_of"] for d in documents)
    # The Colchester pack's meeting, Wednesday 11 July 2018: a date beside the period.
    assert any(d["date"] == "2018-07-11" and d["period"] == "2018-19" for d in documents)
    code, output = run("docs", "--index", str(corpus_index))
    assert code == 0
    assert "dated 2018-07-11" in output


def test_extract_json_gives_a_meetings_date_beside_its_period() -> None:
    minutes = MODELS_DIR / "real" / "docs" / "098_sefton_minutes.txt"
    code, output = run("extract", str(minutes), "--json")
    assert code == 0
    (document,) = json.loads(output)["documents"]
    assert (document["date"], document["period"]) == ("2019-03-14", "2018-19")


def test_a_batch_with_bad_files_ingests_the_good_one_and_exits_1(
    badpdfs: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(sample(BRAINTREE_2022, "pdf"), folder / "good.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.pdf").write_text("These are meeting notes, not a PDF.\n")
    shutil.copy(badpdfs / "encrypted__encryption_openpassword.pdf", folder / "locked.pdf")
    index = tmp_path / "index"

    code, output = run("ingest", str(folder), "--index", str(index))

    assert code == 1
    lines = output.splitlines()
    assert any(line.startswith("ingested") and "good.pdf" in line for line in lines)
    assert any(line.startswith("failed: empty file") and "empty.pdf" in line for line in lines)
    assert any(line.startswith("failed: not a PDF") and "notes.pdf" in line for line in lines)
    assert any(
        line.startswith("failed: encrypted: password required") and "locked.pdf" in line
        for line in lines
    )
    assert "1 ingested" in lines[-1] and "3 failed" in lines[-1]
    assert search_json(index, "J9")


def test_reingest_skips_unchanged_and_records_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(sample(BRAINTREE_2022, "text"), folder / "report.txt")
    index = tmp_path / "index"

    assert run("ingest", str(folder), "--index", str(index))[0] == 0
    code, output = run("ingest", str(folder), "--index", str(index))
    assert code == 0
    assert output.splitlines()[0].startswith("unchanged")

    shutil.copy(folder / "report.txt", folder / "copy.txt")
    code, output = run("ingest", str(folder), "--index", str(index))
    assert code == 0
    assert any(line.startswith("duplicate: same content as") for line in output.splitlines())
    assert len(search_json(index, "J9")) == 1


def test_a_near_duplicate_names_the_stored_document_it_is_also_in(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run("ingest", str(sample(BRAINTREE_2022, "text")), "--index", str(index))
    code, output = run("ingest", str(sample(BRAINTREE_2022, "pdf")), "--index", str(index))
    assert code == 0
    line = output.splitlines()[0]
    assert line.startswith("ingested")
    assert line.endswith(
        "; also in Braintree District Community Safety Partnership Annual Report 2022-23"
    )


def test_a_changed_file_replaces_its_old_version(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    shutil.copy(sample(BRAINTREE_2022, "text"), report)
    index = tmp_path / "index"
    run("ingest", str(report), "--index", str(index))
    assert search_json(index, "J9")

    report.write_text(report.read_text().replace("J9", "Juniper"))
    code, output = run("ingest", str(report), "--index", str(index))

    assert code == 0 and output.startswith("ingested")
    assert search_json(index, "Juniper")
    assert not search_json(index, "J9")
    code, output = run("docs", "--json", "--index", str(index))
    assert len(output.splitlines()) == 1


def test_index_location_comes_from_csp_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSP_INDEX", str(tmp_path / "env-index"))
    code, _ = run("ingest", str(sample(BRAINTREE_2022, "text")))
    assert code == 0
    assert (tmp_path / "env-index" / "catalog.sqlite").exists()


def registered_commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    """Every command and subcommand on the `csp` group, as its words and its object."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from registered_commands(command, (*path, name))


COMMANDS = list(registered_commands())
README_TABLE = re.compile(r"^\| command \| what it does \|\n\| --- \| --- \|\n((?:\|.*\n)+)", re.M)


def readme_command_cells() -> list[list[str]]:
    """The code spans in the first cell of each row of README's command table."""
    table = README_TABLE.search((Path(__file__).parents[1] / "README.md").read_text())
    assert table, "README.md has no '| command | what it does |' table"
    cells = [row.split(" | ")[0] for row in table.group(1).splitlines()]
    return [re.findall(r"`([^`]+)`", cell) for cell in cells]


def in_readme_table(words: tuple[str, ...]) -> bool:
    def starts(span: str, command: str) -> bool:
        return span == command or span.startswith(command + " ")

    command, group = "csp " + " ".join(words), "csp " + " ".join(words[:-1])
    return any(
        any(starts(span, command) for span in spans)
        # A subcommand may share its group's row: `csp entities merge ...`, `alias ...`
        or (
            len(words) > 1
            and any(starts(span, group) for span in spans)
            and any(starts(span, words[-1]) for span in spans)
        )
        for spans in readme_command_cells()
    )


def test_the_csp_group_has_all_its_commands() -> None:
    # So a command dropped from the group fails here, not only in the loop below.
    assert len(COMMANDS) >= 17
    assert {("entities", "merge"), ("entities", "alias"), ("entities", "drop")} <= {
        words for words, _ in COMMANDS
    }


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_command_has_help_and_a_row_in_the_readme(
    words: tuple[str, ...], command: click.Command
) -> None:
    name = "csp " + " ".join(words)
    assert command.help and command.help.strip(), f"{name} has no help"
    code, output = run(*words, "--help")
    assert code == 0 and output.startswith(f"Usage: cli {' '.join(words)} ")
    assert command.help.split()[0] in output
    assert in_readme_table(words), f"{name} is not in README's command table"


def test_the_top_level_help_lists_every_command() -> None:
    code, output = run("--help")
    assert code == 0
    listed = re.findall(r"^  (\S+)  ", output.split("Commands:")[1], re.M)
    assert listed == sorted(name for name in cli.commands)


def test_county_level_passages_are_not_filed_under_every_district(corpus_index: Path) -> None:
    query = '"Essex Community Safety Network"'
    county_level = [hit for hit in search_json(corpus_index, query) if not hit["districts"]]
    assert county_level and all(hit["county"] == "Essex" for hit in county_level)
    for hit in search_json(corpus_index, query, "--district", "Rochford"):
        assert "Rochford" in hit["districts"]


def make_older(index: Path) -> None:
    """Leave the folder's search index as an older release of its engine left it."""
    if recorded_backend(index) == "tantivy":
        (index / TANTIVY_DIR / VERSION_FILE).write_text(f"{TANTIVY_SCHEMA_VERSION - 1}\n")
    else:  # an index of another schema
        schema = whoosh_fields.Schema(text=whoosh_fields.TEXT())
        whoosh_index.create_in(str(index / WHOOSH_DIR), schema)


def test_an_index_from_an_older_version_gets_a_clear_message(tmp_path: Path) -> None:
    index = tmp_path / "index"
    run("ingest", str(sample(BRAINTREE_2022, "text")), "--index", str(index))
    make_older(index)

    for args in (["search", "J9"], ["ingest", str(sample(BRAINTREE_2022, "pdf"))]):
        result = CliRunner().invoke(cli, [*args, "--index", str(index)])
        assert result.exit_code == 1 or result.exit_code == 2, result.output
        assert "rebuild" in result.output.lower()
        assert result.exception is None or isinstance(result.exception, SystemExit)
