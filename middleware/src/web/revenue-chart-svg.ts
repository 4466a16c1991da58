import { typeColor } from './chart-svg';
import { html, type Html } from './html';
import { formatAmount, type ChannelRevenue, type RevenueReport, type RevenueSplit } from './revenue-data';

/**
 * Server-rendered SVG bars for "Revenue by channel": per channel a W-shaped bar and a Full Path bar, each
 * split into calls and web touchpoints. Every bar is drawn on one scale (the largest bar is full width), so
 * bars compare across channels and models. No chart library; labels are escaped like all other output.
 */
const LABEL_W = 150;
const BAR_W = 430;
const VALUE_W = 150;
const ROW_H = 62;
const TOP = 40;
const CALLS = typeColor(0);
const WEB = typeColor(1);

const MODELS = [
  { key: 'wShaped', label: 'W-shaped' },
  { key: 'fullPath', label: 'Full Path' },
] as const;

function bar(c: ChannelRevenue, model: (typeof MODELS)[number], y: number, scale: number): Html {
  const s: RevenueSplit = c[model.key];
  const callsW = s.calls * scale;
  const webW = s.web * scale;
  return html`<text x="${LABEL_W - 8}" y="${y + 12}" text-anchor="end" class="model">${model.label}</text>
    <rect x="${LABEL_W}" y="${y}" width="${callsW.toFixed(1)}" height="16" fill="${CALLS}"
      ><title>${c.channel} · ${model.label} · calls: ${formatAmount(s.calls)}</title></rect
    >
    <rect x="${(LABEL_W + callsW).toFixed(1)}" y="${y}" width="${webW.toFixed(1)}" height="16" fill="${WEB}"
      ><title>${c.channel} · ${model.label} · web: ${formatAmount(s.web)}</title></rect
    >
    <text x="${(LABEL_W + callsW + webW + 6).toFixed(1)}" y="${y + 12}" class="value"
      >${formatAmount(s.total)}</text
    >`;
}

export function renderRevenueChart(report: RevenueReport): Html {
  const width = LABEL_W + BAR_W + VALUE_W;
  const height = TOP + Math.max(1, report.channels.length) * ROW_H + 6;
  const largest = Math.max(0, ...report.channels.flatMap((c) => [c.wShaped.total, c.fullPath.total]));
  const scale = largest > 0 ? BAR_W / largest : 0;
  const summary = report.channels
    .map(
      (c) =>
        `${c.channel}: W-shaped ${formatAmount(c.wShaped.total)} (calls ${formatAmount(c.wShaped.calls)}), ` +
        `Full Path ${formatAmount(c.fullPath.total)} (calls ${formatAmount(c.fullPath.calls)})`,
    )
    .join('; ');
  const rows = report.channels.map((c, i) => {
    const y = TOP + i * ROW_H;
    return html`<g class="row" data-channel="${c.channel}">
      <text x="${LABEL_W}" y="${y + 10}" class="label">${c.channel}</text>
      ${bar(c, MODELS[0], y + 16, scale)} ${bar(c, MODELS[1], y + 36, scale)}
    </g>`;
  });
  return html`<svg
    xmlns="http://www.w3.org/2000/svg"
    class="chart revenue-chart"
    viewBox="0 0 ${width} ${height}"
    width="${width}"
    height="${height}"
    role="img"
    aria-label="Revenue by channel, W-shaped and Full Path, calls and web touchpoints. ${summary}"
  >
    <style>
      .label {
        font: bold 13px sans-serif;
        fill: #181818;
      }
      .model,
      .legend {
        font: 12px sans-serif;
        fill: #444;
      }
      .value {
        font: bold 12px sans-serif;
        fill: #181818;
      }
    </style>
    <rect x="${LABEL_W}" y="10" width="12" height="12" fill="${CALLS}" />
    <text x="${LABEL_W + 17}" y="21" class="legend">Calls</text>
    <rect x="${LABEL_W + 70}" y="10" width="12" height="12" fill="${WEB}" />
    <text x="${LABEL_W + 87}" y="21" class="legend">Web touchpoints</text>
    ${
      report.channels.length
        ? rows
        : html`<text x="${LABEL_W}" y="${TOP + 20}" class="model"
            >No opportunity touchpoints in this range.</text
          >`
    }
  </svg>`;
}
