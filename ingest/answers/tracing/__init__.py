"""What later documents say became of each commitment (`csp trace`, the app's
Commitments page), in named stages, one module each:

- `library`: the catalog read once, and which of the CSP's documents are later than a
  commitment's;
- `terms`: what a later sentence is compared with, the commitment's wording (what is to
  be done) and the initiatives it names;
- `retrieval`: candidate passages of the later documents (the search index's recall,
  the catalog's mentions of the same initiative, later stated priorities on the same
  themes) and their sentences;
- `features`: what is measured of each sentence (shared wording, a named initiative, a
  restatement, the fuzzy ratio, what kind of line it is);
- `rules`: named rules, each saying why a sentence is not evidence;
- `score`: the weighted score of a sentence the rules let through; the best sentence of
  each later document at `link_threshold` or above is evidence (`evidence` runs the
  stages);
- `status`: what the latest evidence says became of the commitment, and how sure that
  is;
- `commitments`: the commitments listed and traced, a sentence found for several rows of
  one plan kept for the row it fits best.

The weights and thresholds are data (models/commitments/tracing.json, read by `tuning`),
tuned on models/dev only; the cue words are in models/commitments/status_cues.json
(`cues`).
"""

from ingest.answers.tracing.commitments import list_commitments, trace_commitments
from ingest.answers.tracing.features import discussed, restates_row
from ingest.answers.tracing.library import written_after
from ingest.answers.tracing.retrieval import is_subheading, sentences_in
from ingest.answers.tracing.status import status_of
from ingest.answers.tracing.terms import action_words, uses_name
from ingest.answers.tracing.traces import Trace, TraceEvidence

__all__ = [
    "Trace",
    "TraceEvidence",
    "action_words",
    "discussed",
    "is_subheading",
    "list_commitments",
    "restates_row",
    "sentences_in",
    "status_of",
    "trace_commitments",
    "uses_name",
    "written_after",
]
