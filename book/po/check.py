#!/usr/bin/env python3
"""Checks one translated part: python3 check.py part-N.zh.po [--partial]

Every entry translated and not fuzzy (unless --partial), and each translation
keeps what the build needs: code spans, link targets, mdBook directives,
comment prefixes, heading levels, and lines of code comments at most 85
display columns (a CJK character counts two)."""
import re, sys, unicodedata, polib

def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)

def line_spans(s):
    return sorted(re.findall(r'`[^`\n]+`', s))

def spans(s):
    # In code comments a span may break across lines: join them first.
    if s.lstrip().startswith('//'):
        s = ' '.join(re.sub(r'^\s*//[!/]?\s?', '', l) for l in s.split('\n'))
    return sorted(' '.join(x.split()) for x in re.findall(r'`[^`]+`', s))

def links(s):
    return sorted(re.findall(r'\]\(([^)\s]+)\)', s))

def directives(s):
    return sorted(re.findall(r'\{\{#[^}]*\}\}', s))

path = sys.argv[1]
partial = '--partial' in sys.argv
po = polib.pofile(path)
problems, done = [], 0
for e in po:
    if not e.msgid:
        continue
    where = f'{e.occurrences[0][0] if e.occurrences else "?"}: {e.msgid[:60]!r}'
    if 'fuzzy' in e.flags:
        problems.append(f'fuzzy: {where}')
    if not e.msgstr:
        if not partial:
            problems.append(f'untranslated: {where}')
        continue
    done += 1
    m, t = e.msgid, e.msgstr
    if spans(m) != spans(t) and line_spans(m) != line_spans(t):
        missing = set(spans(m)) - set(spans(t))
        extra = set(spans(t)) - set(spans(m))
        problems.append(f'code spans differ {sorted(missing)[:3]} / {sorted(extra)[:3]}: {where}')
    if links(m) != links(t):
        problems.append(f'link targets differ: {where}')
    if directives(m) != directives(t):
        problems.append(f'mdBook directives differ: {where}')
    if m.lstrip().startswith('//'):
        ml, tl = m.split('\n'), t.split('\n')
        for line in tl:
            if width(line.rstrip()) > 85:
                problems.append(f'comment line over 85 columns ({width(line)}): {where}')
                break
        pm = {re.match(r'\s*(//[!/]?)', l).group(1) for l in ml if l.strip()}
        for line in tl:
            if line.strip() and not re.match(r'\s*//', line):
                problems.append(f'comment line without // prefix: {where}')
                break
        if m.endswith('\n') != t.endswith('\n'):
            problems.append(f'trailing newline differs: {where}')
    hm = re.match(r'#+ ', m)
    if hm and not t.startswith(hm.group(0)):
        problems.append(f'heading level differs: {where}')
    if m.startswith('"') and m.endswith('"') and m != t:
        problems.append(f'string literal changed (keep it English): {where}')
total = sum(1 for e in po if e.msgid)
print(f'{path}: {done}/{total} translated, {len(problems)} problems')
for p in problems[:60]:
    print('  ' + p)
sys.exit(1 if problems else 0)
