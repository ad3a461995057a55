#!/usr/bin/env python3
"""Check models/real/queries.jsonl (search questions with hand relevance judgements).

Standard library only. Checks: every line is a JSON object with id, query, kind,
relevant, notes; ids are unique (q01, q02, ...); every judged document id is the
number prefix of a file in docs/; grades are 1 or 2; every query has at least one
judged relevant document; at least 65 queries. Prints counts by kind and the
min/median/max number of judged documents per query.
"""
import json
import os
import re
import statistics
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "queries.jsonl")
DOCS = os.path.join(HERE, "docs")
MIN_QUERIES = 65


def main():
    errors = []
    doc_ids = set()
    for name in os.listdir(DOCS):
        m = re.match(r"^(\d{3})_.*\.txt$", name)
        if m:
            doc_ids.add(m.group(1))
    if not doc_ids:
        errors.append("no documents found in docs/")

    rows = []
    with open(QUERIES, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as exc:
                errors.append("line %d: not JSON (%s)" % (n, exc))
                continue
            rows.append((n, row))

    seen = set()
    kinds = Counter()
    sizes = []
    grades = Counter()
    for n, row in rows:
        where = "line %d" % n
        if not isinstance(row, dict):
            errors.append(where + ": not an object")
            continue
        for key in ("id", "query", "kind", "relevant", "notes"):
            if key not in row:
                errors.append("%s: missing %r" % (where, key))
        qid = row.get("id")
        if not isinstance(qid, str) or not re.match(r"^q\d{2,}$", qid):
            errors.append("%s: bad id %r" % (where, qid))
        elif qid in seen:
            errors.append("%s: duplicate id %s" % (where, qid))
        seen.add(qid)
        if not isinstance(row.get("query"), str) or not row.get("query", "").strip():
            errors.append("%s: empty query" % where)
        if not isinstance(row.get("kind"), str) or not row.get("kind", "").strip():
            errors.append("%s: empty kind" % where)
        kinds[row.get("kind")] += 1
        rel = row.get("relevant")
        if not isinstance(rel, dict):
            errors.append("%s: relevant is not an object" % where)
            continue
        if not rel:
            errors.append("%s (%s): no relevant document" % (where, qid))
        for doc, grade in rel.items():
            if doc not in doc_ids:
                errors.append("%s (%s): unknown document id %r" % (where, qid, doc))
            if grade not in (1, 2) or isinstance(grade, bool):
                errors.append("%s (%s): grade %r for %s not in {1, 2}" % (where, qid, grade, doc))
            else:
                grades[grade] += 1
        if not any(g in (1, 2) for g in rel.values()):
            errors.append("%s (%s): no grade-1 or grade-2 document" % (where, qid))
        sizes.append(len(rel))

    if len(rows) < MIN_QUERIES:
        errors.append("only %d queries (need at least %d)" % (len(rows), MIN_QUERIES))

    print("queries: %d" % len(rows))
    for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        print("  %-14s %d" % (kind, count))
    if sizes:
        print("judged relevant documents per query: min %d, median %g, max %d; total pairs %d (grade 2: %d, grade 1: %d)"
              % (min(sizes), statistics.median(sizes), max(sizes), sum(sizes), grades[2], grades[1]))
        print("queries with no grade-2 document: %d" % sum(
            1 for _, r in rows if isinstance(r.get("relevant"), dict) and 2 not in r["relevant"].values()))
    if errors:
        print("ERRORS:")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
