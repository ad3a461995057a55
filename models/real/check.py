"""Checks models/real: files, sha256s, labels against the gazetteer data files, counts.

Run from the repository root:  python3 models/real/check.py
Uses only the JSONL data files (no project code).
"""
import collections, datetime, hashlib, json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GAZ = os.path.join(HERE, '..', 'gazetteer')
DOC_TYPES = {"annual report", "strategic assessment", "partnership plan", "action plan", "minutes",
             "agenda", "committee report", "prospectus", "other"}


def load(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(line) for line in f if line.strip()]


areas = {a['name']: a for a in load(os.path.join(GAZ, 'areas.jsonl'))}
counties = {c['name'] for c in load(os.path.join(GAZ, 'counties.jsonl'))}
counties |= {a['name'] for a in areas.values() if a['county'] == a['name']}
forces = {p['name'] for p in load(os.path.join(GAZ, 'police_forces.jsonl'))}

prov = load(os.path.join(HERE, 'provenance.jsonl'))
att = load(os.path.join(HERE, 'attribution.jsonl'))
errors = []

docs = sorted('docs/' + f for f in os.listdir(os.path.join(HERE, 'docs')))
if [p['file'] for p in prov] != docs:
    errors.append('provenance files differ from docs/')
if [a['file'] for a in att] != docs:
    errors.append('attribution files differ from docs/')
if [p['id'] for p in prov] != [a['id'] for a in att]:
    errors.append('ids differ between provenance and attribution')

for p in prov:
    for k in ('id', 'file', 'url', 'publisher', 'retrieved', 'via', 'sha256', 'licence'):
        if not p.get(k):
            errors.append('%s: provenance lacks %s' % (p['id'], k))
    with open(os.path.join(HERE, p['file']), 'rb') as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != p['sha256']:
        errors.append('%s: sha256 mismatch' % p['id'])
    data.decode('utf-8')  # must be UTF-8
    if not p['file'].startswith('docs/%s_' % p['id']):
        errors.append('%s: file name does not start with its id' % p['id'])

for a in att:
    i = a['id']
    for name in a['areas']:
        if name not in areas:
            errors.append('%s: unknown area %r' % (i, name))
    if len(set(a['areas'])) != len(a['areas']):
        errors.append('%s: repeated area' % i)
    if a['county'] is not None and a['county'] not in counties:
        errors.append('%s: unknown county %r' % (i, a['county']))
    if a['police_force'] is not None and a['police_force'] not in forces:
        errors.append('%s: unknown police force %r' % (i, a['police_force']))
    if a['doc_type'] not in DOC_TYPES:
        errors.append('%s: bad doc_type %r' % (i, a['doc_type']))
    yf, yt = a['year_from'], a['year_to']
    if (yf is None) != (yt is None):
        errors.append('%s: only one of year_from/year_to is set' % i)
    if yf is not None and not (isinstance(yf, int) and isinstance(yt, int) and 1998 <= yf <= yt <= 2030):
        errors.append('%s: bad years %r-%r' % (i, yf, yt))
    if a['date'] is not None:
        try:
            datetime.date.fromisoformat(a['date'])
        except ValueError:
            errors.append('%s: bad date %r' % (i, a['date']))
    if not a['title'] or not a['evidence'] or not a['notes']:
        errors.append('%s: empty title, evidence or notes' % i)
    text = open(os.path.join(HERE, a['file']), encoding='utf-8').read()
    norm = lambda s: ' '.join(s.split())
    for q in a['evidence']:
        for part in (x.strip() for x in q.split('...')):
            if part and norm(part) not in norm(text):
                errors.append('%s: evidence not in text: %r' % (i, part[:60]))

distinct = collections.Counter(n for a in att for n in a['areas'])
specific = {n for a in att if 0 < len(a['areas']) <= 3 for n in a['areas']}
by_region = collections.defaultdict(set)
for n in distinct:
    by_region[areas[n]['region']].add(n)
print('files', len(att))
print('distinct areas', len(distinct), '(in documents naming at most 3 areas: %d)' % len(specific))
for r in sorted(by_region):
    print('  %-26s %3d areas' % (r, len(by_region[r])))
print('doc_type', dict(collections.Counter(a['doc_type'] for a in att).most_common()))
print('collection_kind', dict(collections.Counter(p.get('collection_kind') for p in prov).most_common()))
print('pages that are or summarise a plan/strategy/annual report/assessment',
      sum(1 for p in prov if p.get('summarises_plan_or_report')))
print('licence', dict(collections.Counter(p['licence'] for p in prov)))
print('areas [] :', sum(1 for a in att if not a['areas']))
if len(att) < 160:
    errors.append('fewer than 160 files')
if len(distinct) < 65:
    errors.append('fewer than 65 distinct areas')
if errors:
    print('\n'.join(errors))
    sys.exit(1)
print('OK')
