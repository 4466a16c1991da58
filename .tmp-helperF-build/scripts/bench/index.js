"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.runBenchmarks = runBenchmarks;
exports.writeReport = writeReport;
exports.main = main;
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const commander_1 = require("commander");
const project_root_1 = require("../../middleware/src/project-root");
const benches_1 = require("./benches");
const machine_1 = require("./machine");
const report_1 = require("./report");
const run_child_1 = require("./run-child");
function parseOnly(value) {
    const names = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const known = benches_1.BENCHES.map((b) => b.name);
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length || names.length === 0) {
        throw new commander_1.InvalidArgumentError(`unknown bench "${unknown.join(', ')}"; use a comma list of: ${known.join(', ')}`);
    }
    return names;
}
async function runBenchmarks(opts) {
    const root = (0, project_root_1.projectRoot)();
    const profile = opts.full ? 'full' : 'quick';
    const selected = benches_1.BENCHES.filter((b) => !opts.only || opts.only.includes(b.name));
    const startedAt = new Date();
    const machine = (0, machine_1.describeMachine)(root);
    process.stdout.write(`call-touchpoints benchmarks, ${profile} profile: ${selected.map((b) => b.name).join(', ')}\n` +
        `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGb} GB, Node ${machine.node}, load ${machine.loadAverage1m}\n`);
    if (machine.loadAverage1m > machine.cores * 0.5) {
        process.stdout.write(`warning: the machine is busy (load ${machine.loadAverage1m} on ${machine.cores} cores); numbers will be lower than on an idle machine\n`);
    }
    const report = {
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
            const result = await (0, run_child_1.runChild)(bench.name, node_path_1.default.join(root, bench.script), run.args, {
                timeoutS: bench.timeoutS(profile),
            });
            const error = result.status === 'ok'
                ? undefined
                : result.status === 'missing'
                    ? result.stderrTail
                    : `${result.status}${result.exitCode !== null ? ` (exit ${result.exitCode})` : ''}: ${result.stderrTail.trim().split('\n').slice(-3).join(' / ')}`;
            let rows;
            try {
                rows = bench.toMetrics(result, run.label);
            }
            catch (err) {
                rows = [];
                process.stdout.write(`  could not read ${bench.name}'s result: ${err.message}\n`);
            }
            if (result.status !== 'ok') {
                rows = rows.map((r) => (r.value === null ? { ...r, note: [r.note, `bench ${result.status}`].filter(Boolean).join('; ') } : r));
            }
            report.benches.push({
                name: bench.name,
                title,
                args: run.args,
                status: result.status,
                durationS: result.durationS,
                peakRssMb: result.peakRssMb,
                result: result.result,
                ...(error ? { error } : {}),
            });
            report.metrics.push(...rows);
            process.stdout.write(`  ${result.status} in ${result.durationS} s` +
                (result.peakRssMb !== null ? `, peak RSS ${result.peakRssMb} MB` : '') +
                (error ? `\n  ${error.split('\n').join('\n  ')}` : '') +
                '\n');
        }
    }
    report.finishedAt = new Date().toISOString();
    return report;
}
function writeReport(report, outDir) {
    node_fs_1.default.mkdirSync(outDir, { recursive: true });
    const stamp = report.startedAt.replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
    const json = JSON.stringify(report, null, 2) + '\n';
    const md = (0, report_1.renderMarkdown)(report);
    const files = [
        node_path_1.default.join(outDir, `${stamp}-${report.profile}.json`),
        node_path_1.default.join(outDir, 'latest.json'),
        node_path_1.default.join(outDir, 'latest.md'),
    ];
    node_fs_1.default.writeFileSync(files[0], json);
    node_fs_1.default.writeFileSync(files[1], json);
    node_fs_1.default.writeFileSync(files[2], md);
    return files;
}
async function main(argv) {
    const program = new commander_1.Command()
        .name('npm run bench --')
        .description('Runs the benchmarks (join throughput, API cost, call-to-touchpoint latency, /collect ingest,\n' +
        'serve memory) and writes bench/results/<timestamp>.json, latest.json and latest.md.')
        .option('--full', 'large sizes (100k calls × 1M sessions, 1M stored events); takes much longer', false)
        .option('--only <names>', `comma list of benches to run: ${benches_1.BENCHES.map((b) => b.name).join(', ')}`, parseOnly)
        .option('--no-build', 'do not recompile first (bin/bench.js compiles when dist/ is older than the sources)')
        .option('--out <dir>', 'where to write the results', node_path_1.default.join((0, project_root_1.projectRoot)(), 'bench', 'results'))
        .showHelpAfterError('(run npm run bench -- --help for usage)');
    program.parse(argv);
    const opts = program.opts();
    const report = await runBenchmarks(opts);
    const files = writeReport(report, node_path_1.default.resolve(opts.out));
    process.stdout.write(`\n${(0, report_1.renderMarkdown)(report)}\nwrote ${files.map((f) => node_path_1.default.relative(process.cwd(), f)).join(', ')}\n`);
    const failed = report.benches.filter((b) => b.status !== 'ok');
    if (failed.length) {
        process.stdout.write(`${failed.length} bench run(s) did not complete: ${failed.map((b) => `${b.name} (${b.status})`).join(', ')}\n`);
        process.exitCode = 1;
    }
}
if (require.main === module) {
    main(process.argv).catch((err) => {
        process.stderr.write(`bench: ${err.message}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=index.js.map