import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

// Source trees compared as the Metadata API sees them: XML by content (element order, indentation and
// line breaks aside; labels as a set, since sf writes them sorted by name), other files byte for byte.
// Files .forceignore keeps out of deploys (__tests__, jsconfig.json, .eslintrc.json) are not compared.

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, normalize(x)]),
    );
  return typeof v === 'string' ? v.replace(/\s+/g, ' ').trim() : v;
}

function xmlContent(text: string): string {
  const doc = parser.parse(text) as { CustomLabels?: { labels?: Array<{ fullName: string }> } };
  const labels = doc.CustomLabels?.labels;
  if (Array.isArray(labels)) labels.sort((a, b) => a.fullName.localeCompare(b.fullName));
  return JSON.stringify(normalize(doc));
}

function files(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

const ignored = (f: string) => /(^|\/)(__tests__|jsconfig\.json|\.eslintrc\.json)(\/|$)/.test(f);

export function compareTrees(
  source: string,
  retrieved: string,
): { missing: string[]; different: string[]; extra: string[] } {
  const got = new Set(files(retrieved));
  const missing: string[] = [];
  const different: string[] = [];
  for (const f of files(source)
    .filter((x) => !ignored(x))
    .sort()) {
    if (!got.delete(f)) {
      missing.push(f);
      continue;
    }
    const a = fs.readFileSync(path.join(source, f), 'utf8');
    const b = fs.readFileSync(path.join(retrieved, f), 'utf8');
    if (f.endsWith('.xml') ? xmlContent(a) !== xmlContent(b) : a !== b) different.push(f);
  }
  return { missing, different, extra: [...got].sort() };
}
