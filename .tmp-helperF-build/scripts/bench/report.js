"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.renderMarkdown = renderMarkdown;
const metrics_1 = require("./metrics");
const cell = (s) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
function renderMarkdown(r) {
    const m = r.machine;
    const lines = [];
    lines.push(`# Benchmark results (${r.profile} profile)`);
    lines.push('');
    lines.push(`Run ${r.startedAt} → ${r.finishedAt} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGb} GB RAM, ` +
        `Node ${m.node}, ${m.os}; load average at start ${m.loadAverage1m}` +
        (m.gitCommit ? `; commit ${m.gitCommit}` : '') +
        '.');
    lines.push('');
    lines.push('| Metric | Value | Target | Met? | Bound by |');
    lines.push('|---|---|---|---|---|');
    for (const row of r.metrics) {
        const met = (0, metrics_1.formatMet)(row) + (row.note ? ` (${row.note})` : '');
        lines.push(`| ${cell(`${row.bench}: ${row.metric}`)} | ${cell((0, metrics_1.formatValue)(row))} | ${cell((0, metrics_1.formatTarget)(row))} | ${cell(met)} | ${cell(row.bound)} |`);
    }
    lines.push('');
    lines.push('| Bench | Status | Duration | Peak RSS of the bench process | Arguments |');
    lines.push('|---|---|---|---|---|');
    for (const b of r.benches) {
        lines.push(`| ${b.title} | ${b.status}${b.error ? `: ${cell(b.error.split('\n')[0].slice(0, 160))}` : ''} | ${b.durationS} s | ` +
            `${b.peakRssMb === null ? '—' : `${b.peakRssMb} MB`} | \`${cell(b.args.join(' ')) || '(none)'}\` |`);
    }
    lines.push('');
    lines.push('Reproduce: `npm run build && npm run bench` (quick) or `npm run bench -- --full`. See docs/performance.md.');
    lines.push('');
    return lines.join('\n');
}
//# sourceMappingURL=report.js.map