"""Checks models/real/entities.jsonl against the texts in models/real/docs/.

Run from the repository root:  python3 models/real/check_entities.py
Standard library only; reads only the data files (no project code).

For every line: the id and file match a file in docs/ and a line of provenance.jsonl
(and the file's sha256 is the one recorded there); spans are sorted; every span's
offsets index the file content decoded as UTF-8 (bytes decoded, no newline
translation) and text[start:end] equals the span's text; labels are INITIATIVE,
PARTNER or FIGURE; INITIATIVE and PARTNER spans have a non-empty canonical name;
FIGURE spans have a unit in {GBP, count, percent, rate}, a counted string or null and
a direction in {increase, decrease, null}; no two spans of the same label overlap.
Prints counts by label, unit and direction. Exit status 1 on any error.
"""
import collections, hashlib, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = {"INITIATIVE", "PARTNER", "FIGURE"}
UNITS = {"GBP", "count", "percent", "rate"}
DIRECTIONS = {"increase", "decrease", None}


def main():
    errors = []
    err = errors.append
    prov = {}
    with open(os.path.join(HERE, 'provenance.jsonl'), encoding='utf-8') as f:
        for line in f:
            o = json.loads(line)
            prov[o['id']] = o
    labels = collections.Counter()
    units = collections.Counter()
    directions = collections.Counter()
    canon = collections.defaultdict(set)
    files_with_spans = 0
    seen = set()
    n = 0
    with open(os.path.join(HERE, 'entities.jsonl'), encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except ValueError as e:
                err(f'line {ln}: not JSON: {e}')
                continue
            n += 1
            i, rel, spans = o.get('id'), o.get('file'), o.get('spans')
            where = f'line {ln} ({i})'
            if set(o) != {'id', 'file', 'spans'}:
                err(f'{where}: keys {sorted(o)}')
            if i in seen:
                err(f'{where}: duplicate id')
            seen.add(i)
            if i not in prov:
                err(f'{where}: id not in provenance.jsonl')
                continue
            if rel != prov[i]['file'] or not os.path.basename(rel or '').startswith(i + '_'):
                err(f'{where}: file {rel!r} does not match provenance {prov[i]["file"]!r}')
                continue
            raw = open(os.path.join(HERE, rel), 'rb').read()
            if hashlib.sha256(raw).hexdigest() != prov[i]['sha256']:
                err(f'{where}: sha256 of {rel} differs from provenance.jsonl')
            text = raw.decode('utf-8')
            if not isinstance(spans, list):
                err(f'{where}: spans is not a list')
                continue
            if spans:
                files_with_spans += 1
            keyorder = [(s.get('start'), s.get('end')) for s in spans]
            if keyorder != sorted(keyorder, key=lambda k: (k[0] if isinstance(k[0], int) else -1, k[1] if isinstance(k[1], int) else -1)):
                err(f'{where}: spans not sorted by start')
            last_end = {}
            for k, s in enumerate(spans):
                sw = f'{where} span {k}'
                st, en, lab, t = s.get('start'), s.get('end'), s.get('label'), s.get('text')
                if not (isinstance(st, int) and isinstance(en, int) and 0 <= st < en <= len(text)):
                    err(f'{sw}: bad offsets {st}, {en}')
                    continue
                if text[st:en] != t:
                    err(f'{sw}: text[{st}:{en}]={text[st:en]!r} != {t!r}')
                if lab not in LABELS:
                    err(f'{sw}: label {lab!r}')
                    continue
                labels[lab] += 1
                if lab == 'FIGURE':
                    if set(s) != {'start', 'end', 'label', 'text', 'unit', 'counted', 'direction'}:
                        err(f'{sw}: FIGURE keys {sorted(s)}')
                    if s.get('unit') not in UNITS:
                        err(f'{sw}: unit {s.get("unit")!r}')
                    if not (s.get('counted') is None or (isinstance(s.get('counted'), str) and s['counted'].strip())):
                        err(f'{sw}: counted {s.get("counted")!r}')
                    if s.get('direction') not in DIRECTIONS:
                        err(f'{sw}: direction {s.get("direction")!r}')
                    units[s.get('unit')] += 1
                    directions[s.get('direction')] += 1
                else:
                    if set(s) != {'start', 'end', 'label', 'text', 'canonical'}:
                        err(f'{sw}: {lab} keys {sorted(s)}')
                    c = s.get('canonical')
                    if not (isinstance(c, str) and c.strip()):
                        err(f'{sw}: canonical {c!r}')
                    else:
                        canon[lab].add(c)
                # same-label overlap: spans are sorted by start, so compare with the
                # furthest end seen so far for this label
                if st < last_end.get(lab, -1):
                    err(f'{sw}: overlaps an earlier {lab} span')
                last_end[lab] = max(last_end.get(lab, -1), en)
    for e in errors:
        print('ERROR', e)
    print(f'{n} files labelled ({files_with_spans} with at least one span), '
          f'{sum(labels.values())} spans')
    for lab in sorted(labels):
        extra = f', {len(canon[lab])} distinct canonical names' if lab in canon else ''
        print(f'  {lab}: {labels[lab]}{extra}')
    print('  FIGURE units: ' + ', '.join(f'{u} {c}' for u, c in units.most_common()))
    print('  FIGURE directions: ' + ', '.join(f'{d or "none"} {c}' for d, c in directions.most_common()))
    if errors:
        print(f'{len(errors)} error(s)')
        sys.exit(1)
    print('OK')


if __name__ == '__main__':
    main()
