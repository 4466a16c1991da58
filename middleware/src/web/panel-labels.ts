import fs from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { projectFile } from '../project-root';

/**
 * The Task panel's texts, read from force-app's custom labels (CTP_*), the same labels the LWC
 * `callTouchpointPanel` shows in Lightning: one source of truth, so the preview cannot drift.
 */
export type PanelLabels = Record<string, string>;

let cached: PanelLabels | null = null;

export function panelLabels(
  file = projectFile('force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml'),
): PanelLabels {
  if (cached) return cached;
  const parsed = new XMLParser({ isArray: (name) => name === 'labels' }).parse(
    fs.readFileSync(file, 'utf8'),
  ) as {
    CustomLabels?: { labels?: { fullName?: string; value?: string }[] };
  };
  const out: PanelLabels = {};
  for (const l of parsed.CustomLabels?.labels ?? [])
    if (l.fullName && l.value !== undefined) out[l.fullName] = String(l.value);
  cached = out;
  return out;
}

/** A label by name; a missing label shows its name (visible, never a crash). */
export function label(name: string, ...values: (string | number | null | undefined)[]): string {
  const template = panelLabels()[name] ?? name;
  // Same placeholder rule as the LWC's formatLabel: {0}, {1}… ; null/undefined become ''.
  return template.replace(/\{(\d+)\}/g, (_m, i: string) => {
    const v = values[Number(i)];
    return v === undefined || v === null ? '' : String(v);
  });
}
