import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { projectRoot } from '../../middleware/src/project-root';
import { BENCHES, SUSTAINED_BENCHES, type Profile } from './benches';
import { describeMachine } from './machine';
import type { MetricRow } from './metrics';
import { renderMarkdown, type BenchRunReport } from './report';
import { runChild, type ChildRun } from './run-child';

/**
 * `npm run bench`: runs the benchmarks of docs/performance.md (the five of the webhook path, plus CDC) one after another, each as its own
 * process (so memory numbers are per bench), and writes bench/results/<timestamp>.json,
 * latest.json and latest.md.
 */
interface Options {
  full: boolean;
  sustained: boolean;
  only?: string[];
  out: string;
}

function parseOnly(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = BENCHES.map((b) => b.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length || names.length === 0) {
    throw new InvalidArgumentError(
      `unknown bench "${unknown.join(', ')}"; use a comma list of: ${known.join(', ')}`,
    );
  }
  return names;
}

function describeFailure(run: ChildRun): string | undefined {
  if (run.status === 'ok') return undefined;
  if (run.status === 'missing') return run.stderrTail;
  const exit = run.exitCode !== null ? ` (exit ${run.exitCode})` : '';
  return `${run.status}${exit}: ${run.stderrTail.trim().split('\n').slice(-3).join(' / ')}`;
}

export async function runBenchmarks(opts: Options): Promise<BenchRunReport> {
  const root = projectRoot();
  const profile: Profile = opts.sustained ? 'sustained' : opts.full ? 'full' : 'quick';
  const wanted = opts.only ?? (opts.sustained ? SUSTAINED_BENCHES : null);
  const selected = BENCHES.filter((b) => !wanted || wanted.includes(b.name));
  const startedAt = new Date();
  const machine = describeMachine(root);
  process.stdout.write(
    `call-touchpoints benchmarks, ${profile} profile: ${selected.map((b) => b.name).join(', ')}\n` +
      `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGb} GB, Node ${machine.node}, load ${machine.loadAverage1m}\n`,
  );
  if (machine.loadAverage1m > machine.cores * 0.5) {
    process.stdout.write(
      `warning: the machine is busy (load ${machine.loadAverage1m} on ${machine.cores} cores); numbers will be lower than on an idle machine\n`,
    );
  }
  const report: BenchRunReport = {
    schema: 1,
    profile,
    startedAt: startedAt.toISOString(),
    finishedAt: '',
    machine,
    benches: [],
    metrics: [],
  };
  for (const bench of selected) {
    for (const run of bench.runs(profile)) {
      const title = bench.runs(profile).length > 1 ? `${bench.title} (${run.label})` : bench.title;
      process.stdout.write(`\n▶ ${title} — node ${bench.script} ${run.args.join(' ')}\n`);
      const result = await runChild(bench.name, path.join(root, bench.script), run.args, {
        timeoutS: bench.timeoutS(profile),
      });
      let rows: MetricRow[];
      try {
        rows = bench.toMetrics(result, run.label);
      } catch (err) {
        rows = [];
        process.stdout.write(`  could not read ${bench.name}'s result: ${(err as Error).message}\n`);
      }
      // A script without a BENCH_RESULT line whose printed text still gave the numbers is fine.
      const parsedText = result.status === 'no-result' && rows.some((r) => r.value !== null);
      if (parsedText) result.status = 'ok';
      const error = describeFailure(result);
      if (result.status !== 'ok') {
        rows = rows.map((r) =>
          r.value === null
            ? { ...r, note: [r.note, `bench ${result.status}`].filter(Boolean).join('; ') }
            : r,
        );
      }
      report.benches.push({
        name: bench.name,
        title,
        args: run.args,
        status: result.status,
        durationS: result.durationS,
        peakRssMb: result.peakRssMb,
        result: result.result,
        ...(parsedText ? { note: 'no BENCH_RESULT line: numbers read from the printed text' } : {}),
        ...(error ? { error } : {}),
      });
      report.metrics.push(...rows);
      process.stdout.write(
        `  ${result.status} in ${result.durationS} s` +
          (result.peakRssMb !== null ? `, peak RSS ${result.peakRssMb} MB` : '') +
          (parsedText ? ' (numbers read from its printed text; it prints no BENCH_RESULT line)' : '') +
          (error ? `\n  ${error.split('\n').join('\n  ')}` : '') +
          '\n',
      );
    }
  }
  report.finishedAt = new Date().toISOString();
  return report;
}

export function writeReport(report: BenchRunReport, outDir: string): string[] {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = JSON.stringify(report, null, 2) + '\n';
  const md = renderMarkdown(report);
  const files = [
    path.join(outDir, `${stamp}-${report.profile}.json`),
    path.join(outDir, 'latest.json'),
    path.join(outDir, 'latest.md'),
  ];
  fs.writeFileSync(files[0], json);
  fs.writeFileSync(files[1], json);
  fs.writeFileSync(files[2], md);
  return files;
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .description(
      'Runs the benchmarks (join throughput, API cost, call-to-touchpoint latency, /collect ingest, serve memory) ' +
        'one process at a time and writes bench/results/<timestamp>-<profile>.json, latest.json and latest.md.',
    )
    .option('--full', 'large sizes (100k calls × 1M sessions, 1M stored events); takes much longer', false)
    .option(
      '--sustained',
      '/collect for 3 minutes at 10 and 50 connections (SQLite, and PostgreSQL with DATABASE_URL) and 1,000,000 events from ~333,000 visitors into serve; about an hour, never in CI',
      false,
    )
    .option(
      '--only <names>',
      `comma list of benches to run: ${BENCHES.map((b) => b.name).join(', ')}`,
      parseOnly,
    )
    .option(
      '--no-build',
      'do not recompile first (bin/bench.js compiles when dist/ is older than the sources)',
    )
    .option('--out <dir>', 'where to write the results', path.join(projectRoot(), 'bench', 'results'))
    .showHelpAfterError('(run npm run bench -- --help for usage)');
  program.parse(argv);
  const opts = program.opts<Options>();
  const report = await runBenchmarks(opts);
  const files = writeReport(report, path.resolve(opts.out));
  process.stdout.write(
    `\n${renderMarkdown(report)}\nwrote ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`,
  );
  const failed = report.benches.filter((b) => b.status !== 'ok');
  if (failed.length) {
    process.stdout.write(
      `${failed.length} bench run(s) did not complete: ${failed.map((b) => `${b.name} (${b.status})`).join(', ')}\n`,
    );
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main(process.argv).catch((err) => {
    process.stderr.write(`bench: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
