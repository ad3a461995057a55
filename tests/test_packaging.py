"""`pip install .` must give a working `csp` with its data (README's command table is
checked in test_cli.py)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_package_models_and_corpus(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(tmp_path),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("csp_search-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ingest/cli.py" in names
    assert "ingest/_data/models/gazetteer/areas.jsonl" in names
    assert "ingest/_data/models/gazetteer/name_templates.json" in names
    assert "ingest/_data/corpus/pdf/001_830debaf43ef9f6c.pdf" in names
    for data in (
        "entities/initiatives.jsonl",
        "entities/partners.jsonl",
        "ner/model/config.cfg",
        "ner/model/ner/model",
        "ner/config.cfg",
        "ner/data/train.jsonl",
        "themes/themes.jsonl",
        "figures/lexicon.json",
        "eval/entities.jsonl",
    ):
        assert f"ingest/_data/models/{data}" in names, data
    assert "ingest/_data/corpus/README.md" in names
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "csp = ingest.cli:cli" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_every_pinned_dependency_runs_on_the_oldest_python_pyproject_allows() -> None:
    # soupsieve 4.1 needs Python 3.11.5, so `scripts/demo.sh` failed on Debian 12's
    # own python3 (3.11.2) while pyproject said 3.11 was enough.
    import tomllib
    from importlib.metadata import distribution

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    oldest = Version(project["requires-python"].removeprefix(">="))
    pins = [
        line.split("==")[0]
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    ]
    assert len(pins) > 50
    refused = {}
    for name in pins:
        needs = distribution(name).metadata.get("Requires-Python")
        if needs and oldest not in SpecifierSet(needs):
            refused[name] = needs
    assert refused == {}
