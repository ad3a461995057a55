"""Running the `csp` command in-process, as the CLI tests do."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ingest.cli import cli


def run(*args: str) -> tuple[int, str]:
    """Exit code and output of `csp ARGS...`."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def json_lines(output: str) -> list[dict]:
    """The objects of a `--json` output, one per line."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]
