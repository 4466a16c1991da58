import fs from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { projectFile } from '../project-root';

/**
 * force-app's custom labels by name. The Task preview's build (scripts/build-panel-preview.ts) answers
 * the panel's `@salesforce/label/c.*` imports with these values, as Lightning does from the same file.
 */
export function customLabels(
  file = projectFile('force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml'),
): Record<string, string> {
  const parsed = new XMLParser({ isArray: (name) => name === 'labels', parseTagValue: false }).parse(
    fs.readFileSync(file, 'utf8'),
  ) as { CustomLabels?: { labels?: { fullName?: string; value?: string }[] } };
  const out: Record<string, string> = {};
  for (const l of parsed.CustomLabels?.labels ?? [])
    if (l.fullName && l.value !== undefined) out[l.fullName] = String(l.value);
  return out;
}
