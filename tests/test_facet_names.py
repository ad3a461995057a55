"""The facet counts name entities in their canonical case, read afresh after an edit."""

from __future__ import annotations

from pathlib import Path

from ingest.answers.queries import run_facets
from ingest.nlp.linking import EntityData
from ingest.pipeline.ingest import edit_entities, ingest_paths

from samples import TEXT_DIR


def test_a_merge_into_a_name_new_to_the_index_shows_that_name_in_the_same_process(
    tmp_path: Path, entities_copy: Path
) -> None:
    index = tmp_path / "index"
    ingest_paths([TEXT_DIR / "001_830debaf43ef9f6c.txt"], index)
    before = run_facets(index, "Henderson")
    assert "Operation Henderson" in before.initiatives
    assert "Clare's Law" not in before.initiatives

    edit_entities(
        index, lambda: EntityData().merge("Clare's Law", "Operation Henderson", "INITIATIVE")
    )

    after = run_facets(index, "Henderson")
    # Its own case, as the catalog now holds it, not the index's lower-cased key.
    assert after.initiatives.get("Clare's Law") == before.initiatives["Operation Henderson"]
    assert "Operation Henderson" not in after.initiatives
