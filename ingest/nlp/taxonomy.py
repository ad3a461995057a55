"""The theme taxonomy (models/themes/themes.jsonl) as data: each theme with its
description and keyword phrases, read without spaCy.

`ingest.nlp.themes` applies it to text with a spaCy component; what only lists or checks
theme names (the CLI's `--theme`, the app's theme choices) reads it here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.paths import MODELS_DIR

THEMES_FILE = MODELS_DIR / "themes" / "themes.jsonl"


@dataclass(frozen=True)
class Theme:
    theme: str
    description: str
    keywords: tuple[str, ...]


@lru_cache(maxsize=2)
def load_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    """The taxonomy, one Theme per line of the JSONL file, in file order."""
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return tuple(Theme(row["theme"], row["description"], tuple(row["keywords"])) for row in rows)


def theme_names() -> list[str]:
    """Every theme of the taxonomy, in its file's order."""
    return [theme.theme for theme in load_themes()]
