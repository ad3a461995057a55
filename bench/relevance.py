"""The relevance benchmark of #16: four rankings over the same sections of the real
development set (models/real: 172 public CSP texts, 96 questions judged by someone who
had not run the search; see models/real/README.md).

    python -m bench.relevance [--json] [--depth N]

Each text is extracted as `csp ingest` would (`ingest.pipeline.extract.extract_file`)
and its sections are written into four temporary indexes:

- today: the ranking before #16, frozen here: strict AND of every word, plurals-only
  stemming (`light_stem`), Whoosh's parser and BM25F;
- new: the product's search (`SearchIndex.search`): stop words free, words preferred
  not required, each section scaled by the idf-weighted share of the words it holds,
  phrase and heading boosts, Porter2 stemming with word forms, synonyms;
- whoosh defaults: Whoosh's StandardAnalyzer on title, heading and text, its
  MultifieldParser with an OR group, BM25F;
- tantivy: tantivy's default tokenizer and query parser (OR), BM25.

A document's rank is its best section's rank.  Per query: recall@10, the judged
documents in the first 10 of as many as 10 places can hold (min(10, judged)), and
plain recall@10 of all judged (whose best possible mean on this set is 0.86, since
some questions have up to 49 judged documents); reciprocal rank of the first judged
document; nDCG@10 with the grades (1 or 2) as gains.  Each is averaged over the
queries, per query kind, and per half of the set: the ranking's weights
(models/search/ranking.json) are tuned on the odd-numbered questions, and the
even-numbered ones are held out to check them.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy
from whoosh import fields, qparser
from whoosh import index as whoosh_index
from whoosh.analysis import Filter, RegexTokenizer, StandardAnalyzer, Token

from ingest.model import Document
from ingest.paths import MODELS_DIR
from ingest.pipeline.extract import extract_file
from ingest.search.whoosh.index import SearchIndex, section_fields
from ingest.search.whoosh.query import clean_query
from ingest.search.whoosh.schema import (
    APOSTROPHE,
    FOLDING,
    MAX_TERM_CHARS,
    POSSESSIVE,
    SCHEMA,
    SEARCH_FIELDS,
    TOKEN_PATTERN,
)

REAL_DIR = MODELS_DIR / "real"
CUT = 10
# Documents ranked per query: enough that a document's best section is found.
DEPTH = 200
RANKERS = ("today", "new", "whoosh defaults", "tantivy")


# The frozen baseline: the analyzer and parser of schema version 3 ----------------------

NEVER_STEMMED = frozenset(
    {"news", "lens", "series", "species", "always", "perhaps", "whereas", "towards"}
    | {"afterwards", "sometimes", "besides", "means"}
)


def light_stem(word: str) -> str:
    """Plural to singular by suffix rules only ("policies" -> "policy")."""
    if len(word) <= 3 or not word.endswith("s") or word in NEVER_STEMMED:
        return word
    if any(char.isdigit() for char in word) or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4 and word[-4] not in "ae":
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


class LightTermFilter(Filter):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            term = APOSTROPHE.sub("", POSSESSIVE.sub("", token.text.translate(FOLDING).lower()))
            if not term or len(term) > MAX_TERM_CHARS:
                token.stopped = True
                if token.removestops:
                    continue
            else:
                token.stopped = False
                token.text = light_stem(term)
            yield token


def schema_with(text_field: Callable[[float], fields.FieldType]) -> fields.Schema:
    """The product's schema with other text fields (heading boosted as the product's)."""
    return fields.Schema(
        **{
            name: text_field(1.5 if name == "heading" else 1.0)
            if name in SEARCH_FIELDS
            else SCHEMA[name]
            for name in SCHEMA.names()
        }
    )


def today_schema() -> fields.Schema:
    analyzer = RegexTokenizer(TOKEN_PATTERN) | LightTermFilter()
    return schema_with(
        lambda boost: fields.TEXT(
            analyzer=analyzer,
            stored=True,
            phrase=True,
            field_boost=boost,
            multitoken_query="phrase",
        )
    )


def today_parser(schema: fields.Schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(SEARCH_FIELDS, schema, group=qparser.AndGroup)
    for plugin in (
        qparser.FieldsPlugin,
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
        qparser.SingleQuotePlugin,
        qparser.OperatorsPlugin,
    ):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None))
    return parser


def defaults_schema() -> fields.Schema:
    return schema_with(lambda boost: fields.TEXT(analyzer=StandardAnalyzer(), stored=True))


# The set --------------------------------------------------------------------------------


@dataclass
class Question:
    id: str
    query: str
    kind: str
    relevant: dict[str, int]


def questions(real_dir: Path = REAL_DIR) -> list[Question]:
    rows = [json.loads(line) for line in (real_dir / "queries.jsonl").open(encoding="utf-8")]
    return [Question(row["id"], row["query"], row["kind"], row["relevant"]) for row in rows]


def documents(real_dir: Path = REAL_DIR) -> list[Document]:
    provenance = [json.loads(line) for line in (real_dir / "provenance.jsonl").open()]
    return [
        document
        for row in provenance
        for document in extract_file(real_dir / row["file"]).documents
    ]


TEXT_ID = re.compile(r"(\d{3})_")


def text_id(source: str) -> str:
    """The set's id of a text ("017") from its file name."""
    match = TEXT_ID.match(Path(source).name)
    return match.group(1) if match else source


def ranked_texts(sources: list[str]) -> list[str]:
    """Text ids in the order of their best section."""
    return list(dict.fromkeys(text_id(source) for source in sources))


# The rankers: each a function from the query to its ranked sources ----------------------


def whoosh_ranker(
    path: Path, schema: fields.Schema, rows: list[dict], parse: Callable[[str], object]
) -> Callable[[str], list[str]]:
    path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(path), schema)
    writer = ix.writer()
    for row in rows:
        writer.add_document(**row)
    writer.commit()
    searcher = ix.searcher()

    def rank(query: str) -> list[str]:
        results = searcher.search(parse(query), limit=DEPTH)
        return [hit["source"] for hit in results]

    return rank


def today_ranker(path: Path, rows: list[dict]) -> Callable[[str], list[str]]:
    schema = today_schema()
    parser = today_parser(schema)
    return whoosh_ranker(path, schema, rows, lambda query: parser.parse(clean_query(query)))


def defaults_ranker(path: Path, rows: list[dict]) -> Callable[[str], list[str]]:
    schema = defaults_schema()
    parser = qparser.MultifieldParser(SEARCH_FIELDS, schema, group=qparser.OrGroup)
    return whoosh_ranker(path, schema, rows, parser.parse)


def new_ranker(path: Path, docs: list[Document]) -> Callable[[str], list[str]]:
    index = SearchIndex.open(path, create=True)
    index.add_documents(docs)

    def rank(query: str) -> list[str]:
        return [hit.source for hit in index.search(query, limit=DEPTH)]

    return rank


def tantivy_ranker(path: Path, rows: list[dict]) -> Callable[[str], list[str]]:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("source", stored=True, tokenizer_name="raw")
    for name in SEARCH_FIELDS:
        builder.add_text_field(name)
    schema = builder.build()
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=50_000_000, num_threads=1)
    for row in rows:
        writer.add_document(
            tantivy.Document(source=row["source"], **{n: row.get(n, "") for n in SEARCH_FIELDS})
        )
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()

    def rank(query: str) -> list[str]:
        parsed, _errors = index.parse_query_lenient(query, list(SEARCH_FIELDS))
        found = searcher.search(parsed, DEPTH)
        return [searcher.doc(address)["source"][0] for _, address in found.hits]

    return rank


# Measures -------------------------------------------------------------------------------


def recall_at(ranked: list[str], relevant: dict[str, int], cut: int = CUT) -> float:
    """The judged documents in the first `cut`, of as many as `cut` places can hold: a
    question with 49 judged documents has recall 1 when its first 10 are all judged."""
    return len(set(ranked[:cut]) & relevant.keys()) / min(len(relevant), cut)


def plain_recall_at(ranked: list[str], relevant: dict[str, int], cut: int = CUT) -> float:
    """The judged documents in the first `cut`, of all judged (at most 0.86 on this set)."""
    return len(set(ranked[:cut]) & relevant.keys()) / len(relevant)


def reciprocal_rank(ranked: list[str], relevant: dict[str, int]) -> float:
    return next((1 / rank for rank, text in enumerate(ranked, 1) if text in relevant), 0.0)


def ndcg_at(ranked: list[str], relevant: dict[str, int], cut: int = CUT) -> float:
    gained = sum(
        relevant.get(text, 0) / math.log2(rank + 1) for rank, text in enumerate(ranked[:cut], 1)
    )
    ideal = sorted(relevant.values(), reverse=True)[:cut]
    best = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal, 1))
    return gained / best


def measures(ranked: list[str], relevant: dict[str, int]) -> dict[str, float]:
    return {
        "recall@10": recall_at(ranked, relevant),
        "plain recall@10": plain_recall_at(ranked, relevant),
        "MRR": reciprocal_rank(ranked, relevant),
        "nDCG@10": ndcg_at(ranked, relevant),
        "empty": float(not ranked),
    }


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    return {name: sum(row[name] for row in rows) / len(rows) for name in rows[0]}


def tuning_half(question: Question) -> bool:
    """The odd-numbered questions ("q01", "q03", ...), which the weights are tuned on."""
    return int(question.id.lstrip("q")) % 2 == 1


HALVES = {"odd (tuning)": True, "even (held out)": False}


def run(real_dir: Path = REAL_DIR) -> dict:
    """Every ranker's measures, overall, per kind and per query."""
    docs = documents(real_dir)
    rows = [section_fields(doc, section, doc.doc_id) for doc in docs for section in doc.sections]
    asked = questions(real_dir)
    with tempfile.TemporaryDirectory(prefix="csp-relevance-") as scratch:
        root = Path(scratch)
        rankers = {
            "today": today_ranker(root / "today", rows),
            "new": new_ranker(root / "new", docs),
            "whoosh defaults": defaults_ranker(root / "defaults", rows),
            "tantivy": tantivy_ranker(root / "tantivy", rows),
        }
        per_query: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
        for question in asked:
            for name, rank in rankers.items():
                ranked = ranked_texts(rank(question.query))
                per_query[question.id][name] = measures(ranked, question.relevant)
    kinds = sorted({question.kind for question in asked})
    return {
        "texts": len({text_id(doc.source) for doc in docs}),
        "sections": len(rows),
        "queries": len(asked),
        "overall": {name: mean([per_query[q.id][name] for q in asked]) for name in RANKERS},
        "by_half": {
            half: {
                name: mean([per_query[q.id][name] for q in asked if tuning_half(q) is odd])
                for name in RANKERS
            }
            for half, odd in HALVES.items()
        },
        "by_kind": {
            kind: {
                "queries": sum(q.kind == kind for q in asked),
                **{
                    name: mean([per_query[q.id][name] for q in asked if q.kind == kind])
                    for name in RANKERS
                },
            }
            for kind in kinds
        },
        "per_query": {q.id: {"query": q.query, "kind": q.kind, **per_query[q.id]} for q in asked},
    }


def table(report: dict) -> str:
    lines = [
        f"{report['queries']} questions over {report['sections']} sections of "
        f"{report['texts']} texts (models/real); document ranks, cut at {CUT}",
        "",
        f"{'ranker':<18}{'recall@10':>10}{'MRR':>8}{'nDCG@10':>9}{'plain recall@10':>17}"
        f"{'no hits':>9}",
    ]
    for name in RANKERS:
        row = report["overall"][name]
        lines.append(
            f"{name:<18}{row['recall@10']:>10.3f}{row['MRR']:>8.3f}{row['nDCG@10']:>9.3f}"
            f"{row['plain recall@10']:>17.3f}{row['empty'] * report['queries']:>9.0f}"
        )
    lines += [
        "",
        "recall@10 / MRR / nDCG@10 by half of the set:",
        f"{'half':<19}" + "".join(f"{n:>20}" for n in RANKERS),
    ]
    for half, by_ranker in report["by_half"].items():
        cells = "".join(
            f"{row['recall@10']:>8.3f} /{row['MRR']:>5.2f} /{row['nDCG@10']:>5.2f}"
            for row in (by_ranker[n] for n in RANKERS)
        )
        lines.append(f"{half:<19}{cells}")
    lines += [
        "",
        "recall@10 / MRR by query kind:",
        f"{'kind':<16}{'n':>3}" + "".join(f"{n:>18}" for n in RANKERS),
    ]
    for kind, row in report["by_kind"].items():
        cells = "".join(f"{row[n]['recall@10']:>9.2f} /{row[n]['MRR']:>5.2f}  " for n in RANKERS)
        lines.append(f"{kind:<16}{row['queries']:>3}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.relevance", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--json", action="store_true", help="the whole report, per query too, as JSON"
    )
    args = parser.parse_args(argv)
    report = run()
    print(json.dumps(report, indent=1) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
