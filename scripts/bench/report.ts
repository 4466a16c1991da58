import type { Profile } from './benches';
import type { MachineInfo } from './machine';
import { formatMet, formatTarget, formatValue, type MetricRow } from './metrics';
import type { ChildRun } from './run-child';

/** Everything one `npm run bench` run produced: written as JSON, rendered as Markdown. */
export interface BenchRunReport {
  schema: 1;
  profile: Profile;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  benches: {
    name: string;
    title: string;
    args: string[];
    status: ChildRun['status'];
    durationS: number;
    peakRssMb: number | null;
    result: Record<string, unknown> | null;
    error?: string;
    note?: string;
  }[];
  metrics: MetricRow[];
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(r: BenchRunReport): string {
  const m = r.machine;
  const lines: string[] = [];
  lines.push(`# Benchmark results (${r.profile} profile)`);
  lines.push('');
  lines.push(
    `Run ${r.startedAt} → ${r.finishedAt} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGb} GB RAM, ` +
      `Node ${m.node}, ${m.os}; load average at start ${m.loadAverage1m}` +
      (m.gitCommit ? `; commit ${m.gitCommit}` : '') +
      '.',
  );
  lines.push('');
  lines.push('| Metric | Value | Target | Met? | Bound by |');
  lines.push('|---|---|---|---|---|');
  for (const row of r.metrics) {
    const met = formatMet(row) + (row.note ? ` (${row.note})` : '');
    lines.push(
      `| ${cell(`${row.bench}: ${row.metric}`)} | ${cell(formatValue(row))} | ${cell(formatTarget(row))} | ${cell(met)} | ${cell(row.bound)} |`,
    );
  }
  lines.push('');
  lines.push('| Bench | Status | Duration | Peak RSS of the bench process | Arguments |');
  lines.push('|---|---|---|---|---|');
  for (const b of r.benches) {
    lines.push(
      `| ${b.title} | ${b.status}${b.error ? `: ${cell(b.error.split('\n')[0].slice(0, 160))}` : ''}${b.note ? ` (${cell(b.note)})` : ''} | ${b.durationS} s | ` +
        `${b.peakRssMb === null ? '—' : `${b.peakRssMb} MB`} | \`${cell(b.args.join(' ')) || '(none)'}\` |`,
    );
  }
  lines.push('');
  lines.push(
    'Reproduce: `npm run build && npm run bench` (quick) or `npm run bench -- --full`. See docs/performance.md.',
  );
  lines.push('');
  return lines.join('\n');
}
