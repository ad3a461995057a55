"""Rewrite tests/golden/*.json from what the current code extracts from each sample.

Run it after a deliberate change to extraction, review `git diff tests/golden`, and
commit the files with the change.  The test suite never writes them.

    .venv/bin/python scripts/regenerate_golden.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from golden_files import GOLDEN, regenerate

if __name__ == "__main__":
    changed = regenerate()
    for path in changed:
        print(f"rewrote {path.relative_to(GOLDEN.parents[1])}")
    print(f"{len(changed)} golden files changed")
