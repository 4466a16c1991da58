/**
 * One row of the results table: a measured value beside its target (docs/performance.md) and what
 * physically bounds it. Pure: no I/O.
 */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface MetricRow {
  bench: string;
  metric: string;
  value: number | null;
  unit: string;
  target: Target | null;
  /** null when there is no target or no value. */
  met: boolean | null;
  /** The physical or platform limit behind the number (short; docs/performance.md explains). */
  bound: string;
  /** Extra context, e.g. by how much a target was missed or why a value is missing. */
  note?: string;
}

export function metric(
  bench: string,
  name: string,
  value: number | null | undefined,
  unit: string,
  bound: string,
  target: Target | null = null,
  note?: string,
): MetricRow {
  const v = value === undefined || value === null || !Number.isFinite(value) ? null : value;
  const met =
    v === null || target === null ? null : target.op === '>=' ? v >= target.value : v <= target.value;
  let missNote = note;
  if (met === false && target) {
    const by =
      target.op === '>='
        ? `${formatNumber(target.value / (v as number))}× short`
        : `${formatNumber((v as number) / target.value)}× over`;
    missNote = [note, `missed: ${by}`].filter(Boolean).join('; ');
  }
  return { bench, metric: name, value: v, unit, target, met, bound, ...(missNote ? { note: missNote } : {}) };
}

/** Human number: thousands separators, at most 3 significant decimals for small values. */
export function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatValue(row: MetricRow): string {
  if (row.value === null) return '—';
  return row.unit === '×'
    ? `${formatNumber(row.value)}×`
    : row.unit === '%'
      ? `${formatNumber(row.value)} %`
      : `${formatNumber(row.value)} ${row.unit}`.trim();
}

export function formatTarget(row: MetricRow): string {
  if (!row.target) return '';
  const t = row.target;
  const v = row.unit === '×' ? `${formatNumber(t.value)}×` : `${formatNumber(t.value)} ${row.unit}`.trim();
  return `${t.op === '>=' ? '≥' : '≤'} ${v}`;
}

export function formatMet(row: MetricRow): string {
  return row.met === null ? (row.target ? 'not measured' : '') : row.met ? 'yes' : 'no';
}

// ---- tolerant readers for result objects written by scripts of other areas ----

type Json = Record<string, unknown>;

/** The first finite number among dotted paths (`engine.callsPerSec`), or null. */
export function num(obj: unknown, ...paths: string[]): number | null {
  for (const p of paths) {
    let cur: unknown = obj;
    for (const key of p.split('.')) {
      cur = cur && typeof cur === 'object' ? (cur as Json)[key] : undefined;
    }
    if (typeof cur === 'number' && Number.isFinite(cur)) return cur;
    if (typeof cur === 'string' && cur.trim() !== '' && Number.isFinite(Number(cur))) return Number(cur);
  }
  return null;
}

/** The first object among dotted paths, or null. */
export function obj(o: unknown, ...paths: string[]): Json | null {
  for (const p of paths) {
    let cur: unknown = o;
    for (const key of p.split('.')) cur = cur && typeof cur === 'object' ? (cur as Json)[key] : undefined;
    if (cur && typeof cur === 'object' && !Array.isArray(cur)) return cur as Json;
  }
  return null;
}

/** The first number captured by a regex over free text (fallback for scripts without BENCH_RESULT). */
export function scrape(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  if (!m) return null;
  const v = Number(m[1].replace(/[,_\s]/g, ''));
  return Number.isFinite(v) ? v : null;
}
