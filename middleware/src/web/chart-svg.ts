import { html, type Html } from './html';
import type { ChannelBar, ChannelReport } from './report-data';

/**
 * Server-rendered SVG bar chart for the calls-by-channel report: per channel a stacked bar of calls
 * by touchpoint type, and under it a thin bar with the channel's U-shaped share. Both bars are shares
 * of their total on one scale (a full bar is 100 %), so a channel whose credit bar is shorter than its
 * calls bar gets less credit than its share of calls. No chart library, nothing fetched at runtime;
 * labels are escaped like all other output.
 */
const PALETTE = ['#0b5cab', '#f49725', '#2e844a', '#8e44ad', '#c23934', '#5a6872'];
const SHARE_COLOR = '#7f8de1';

const LABEL_W = 150;
const BAR_W = 430;
const VALUE_W = 150;
const ROW_H = 42;
const TOP = 40;

export function typeColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}

export function renderChannelChart(report: ChannelReport): Html {
  const width = LABEL_W + BAR_W + VALUE_W;
  const height = TOP + Math.max(1, report.channels.length) * ROW_H + 10;
  const totalCalls = Math.max(
    1,
    report.channels.reduce((sum, c) => sum + c.total, 0),
  );
  const summary = report.channels
    .map((c) => `${c.channel}: ${c.total} calls, ${Math.round(c.uShapedShare * 100)}% U-shaped share`)
    .join('; ');
  const rows = report.channels.map((c, row) => chartRow(report.types, c, TOP + row * ROW_H, totalCalls));
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    class="chart"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="Calls by channel and touchpoint type. ${summary}"
  >
    <style>
      .label {
        font: 13px sans-serif;
        fill: #181818;
      }
      .value {
        font: bold 12px sans-serif;
        fill: #181818;
      }
      .share {
        font: 11px sans-serif;
        fill: #444;
      }
      .legend {
        font: 12px sans-serif;
        fill: #181818;
      }
    </style>
    ${chartLegend(report.types)}
    ${report.channels.length ? rows : html`<text x="${LABEL_W}" y="${TOP + 20}" class="label">No call touchpoints in this range.</text>`}
  </svg>`;
}

/** The legend over the bars: a swatch per touchpoint type, then the U-shaped share's. */
function chartLegend(types: readonly string[]): Html[] {
  const legend = [
    ...types.map((t, i) => ({ label: t, color: typeColor(i) })),
    { label: 'U-shaped share', color: SHARE_COLOR },
  ];
  let legendX = LABEL_W;
  return legend.map((item) => {
    const x = legendX;
    legendX += 26 + item.label.length * 7;
    return html`<rect x="${x}" y="10" width="12" height="12" fill="${item.color}" /><text
        x="${x + 17}"
        y="21"
        class="legend"
        >${item.label}</text
      >`;
  });
}

/** One channel's row at `y`: its calls stacked by type, their share of all calls, its credit bar. */
function chartRow(types: readonly string[], c: ChannelBar, y: number, totalCalls: number): Html {
  const scale = BAR_W / totalCalls;
  let x = LABEL_W;
  const segments = types.map((type, i) => {
    const n = c.byType[type] ?? 0;
    if (!n) return html``;
    const w = n * scale;
    const seg = html`<rect
      x="${x.toFixed(1)}"
      y="${y}"
      width="${w.toFixed(1)}"
      height="20"
      fill="${typeColor(i)}"
      ><title>${c.channel} · ${type}: ${n}</title></rect
    >`;
    x += w;
    return seg;
  });
  const shareW = c.uShapedShare * BAR_W;
  return html`<g class="row" data-channel="${c.channel}">
    <text x="${LABEL_W - 8}" y="${y + 15}" text-anchor="end" class="label">${c.channel}</text>
    ${segments}
    <text x="${x + 6}" y="${y + 15}" class="value"
      >${c.total} (${Math.round((c.total / totalCalls) * 100)}% of calls)</text
    >
    <rect x="${LABEL_W}" y="${y + 24}" width="${shareW.toFixed(1)}" height="7" fill="${SHARE_COLOR}"
      ><title>${c.channel}: U-shaped share ${Math.round(c.uShapedShare * 100)}%</title></rect
    >
    <text x="${LABEL_W + shareW + 6}" y="${y + 32}" class="share"
      >${Math.round(c.uShapedShare * 100)}% of credit</text
    >
  </g>`;
}
