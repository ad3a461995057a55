"""The one Whoosh schema and analyzer; ingest writes with it and search reads with it.

Matching ignores case, punctuation and accents, keeps every word (no stop list, so "it"
in "Spot It, Stop It" counts and phrases stay exact) and short codes ("J9", "SOS+"), and
stems lightly so "exploitation" also finds "exploited".
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 1

ANALYZER = (
    RegexTokenizer(r"\w+")
    | CharsetFilter(accent_map)
    | LowercaseFilter()
    | StemFilter(lang="english", cachesize=50000)
)

# Filter fields hold lower-cased values so "--district colchester" matches; their
# display form is stored beside them.
SCHEMA = fields.Schema(
    section_id=fields.ID(stored=True, unique=True),
    doc_id=fields.ID(stored=True),
    cluster_id=fields.ID(stored=True),
    title=fields.TEXT(analyzer=ANALYZER, stored=True, field_boost=1.2),
    source=fields.STORED(),
    doc_type=fields.KEYWORD(stored=True, commas=True, lowercase=True),
    districts=fields.KEYWORD(commas=True, lowercase=True),
    districts_display=fields.STORED(),
    county=fields.KEYWORD(stored=True, commas=True, lowercase=True),
    year_from=fields.NUMERIC(stored=True, signed=False, bits=32),
    year_to=fields.NUMERIC(stored=True, signed=False, bits=32),
    has_year=fields.BOOLEAN(),
    period=fields.STORED(),
    heading_path=fields.STORED(),
    heading=fields.TEXT(analyzer=ANALYZER, field_boost=1.5),
    page_start=fields.NUMERIC(stored=True, signed=False, bits=32),
    page_end=fields.STORED(),
    text=fields.TEXT(analyzer=ANALYZER, stored=True, phrase=True),
    schema_version=fields.STORED(),
)

SEARCH_FIELDS = ["text", "heading", "title"]


class SchemaMismatch(RuntimeError):
    """An index on disk written by another version of CSP Search."""
