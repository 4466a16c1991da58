import { metric } from './metrics';
import { renderMarkdown, type BenchRunReport } from './report';
import { parseBenchResult } from './result';
import { percentile } from './stats';

describe('bench results table', () => {
  it('marks a target met or missed, and says by how much it was missed', () => {
    expect(metric('latency', 'p95', 1200, 'ms', 'b', { op: '<=', value: 5000 }).met).toBe(true);
    const over = metric('api', 'per 1,000', 40, 'req', 'b', { op: '<=', value: 20 });
    expect(over.met).toBe(false);
    expect(over.note).toBe('missed: 2× over');
    const short = metric('ingest', 'ratio', 35, '%', 'b', { op: '>=', value: 70 });
    expect(short.met).toBe(false);
    expect(short.note).toBe('missed: 2× short');
  });

  it('leaves "met?" open when a bench produced no number', () => {
    const row = metric('memory', 'idle', null, 'MB', 'b', { op: '<=', value: 150 });
    expect(row.value).toBeNull();
    expect(row.met).toBeNull();
  });

  it('renders one Markdown row per metric with value, target and verdict', () => {
    const report: BenchRunReport = {
      schema: 1,
      profile: 'quick',
      startedAt: '2026-11-26T23:20:00.000Z',
      finishedAt: '2026-11-26T23:24:00.000Z',
      machine: {
        cpuModel: 'AMD EPYC',
        cores: 2,
        ramGb: 23.5,
        node: 'v20.20.2',
        os: 'Linux',
        loadAverage1m: 0.2,
        gitCommit: null,
      },
      benches: [],
      metrics: [
        metric('memory', 'serve RSS idle', 126.2, 'MB', 'Node runtime', { op: '<=', value: 150 }),
        metric('api', 'requests per 1,000 calls', 40, 'req', 'collections', { op: '<=', value: 20 }),
      ],
    };
    const md = renderMarkdown(report);
    expect(md).toContain('| memory: serve RSS idle | 126 MB | ≤ 150 MB | yes | Node runtime |');
    expect(md).toContain(
      '| api: requests per 1,000 calls | 40 req | ≤ 20 req | no (missed: 2× over) | collections |',
    );
  });
});

describe('BENCH_RESULT line', () => {
  it('takes the last result line a script printed and ignores progress text', () => {
    const out = 'progress 1\nBENCH_RESULT {"a":1}\nmore\nBENCH_RESULT {"a":2}\n';
    expect(parseBenchResult(out)).toEqual({ a: 2 });
    expect(parseBenchResult('no result here\n')).toBeNull();
    expect(parseBenchResult('BENCH_RESULT {not json\n')).toBeNull();
  });
});

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const xs = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(100);
    expect(percentile(xs, 95)).toBe(190);
    expect(percentile([], 95)).toBeNaN();
  });
});
