import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Issue 17: no import loops between folders of middleware/src; issue 26: imports go only in the
 * allowed directions (ALLOWED) and no file is in a loop with another. Each folder (domain, salesforce,
 * calls, vendors, store, …) and each top-level file (config.ts, log.ts, …) is one node; an import
 * from one to another is an edge. A loop means two parts cannot be understood, tested or moved
 * apart — e.g. `vendors` and `salesforce` importing each other. Imports are read with TypeScript's
 * own pre-processor (type-only imports count: they couple the folders as much).
 */
const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The top-level `config.ts` only composes what each folder declares in its own settings module
 * (`<folder>/config.ts`, issue 16), so its imports are not edges: a folder that takes a `Config` and
 * declares settings of its own is not in a loop with the composition. The test below holds it to that.
 */
const COMPOSITION = 'config.ts';
/**
 * The port's vocabulary (issue 26): the interface, its request and answer types and errors, SOQL
 * escaping, the error classification, the Composite limits and the budget's status. The join and the
 * calls pipeline may use these and nothing else of `salesforce/`.
 */
const PORT_FILES = new Set(
  ['port', 'soql', 'error-class', 'composite-limits', 'budget'].map((f) => `salesforce/${f}.ts`),
);
const PORT = 'salesforce port';

/** `salesforce/cdc/x.ts` → `salesforce`; `salesforce/port.ts` → `salesforce port`; `log.ts` → `log.ts`. */
function nodeOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  return PORT_FILES.has(rel) ? PORT : rel.split('/')[0];
}

/**
 * Which folder may import which (issue 26), top to bottom: cli → server → {web, calls, tracking,
 * vendors, salesforce (deploy, CDC)} → join → {domain, store, salesforce port}. The top-level files
 * (log.ts, metrics.ts, retry.ts, env-setting.ts, …) and `values/` are shared by all; the files import
 * only each other and domain, `values/` nothing; config.ts composes the folders' settings (see COMPOSITION). Anything not listed fails.
 */
const SHARED_FILES = /^[a-z-]+\.ts$/;
/** Leaf folders of plain values (safe strings, Salesforce ranges) every folder may use. */
const SHARED_FOLDERS = new Set(['values']);
const ALLOWED: Record<string, readonly string[]> = {
  cli: [
    COMPOSITION,
    'server',
    'erasure',
    'join',
    'salesforce',
    PORT,
    'store',
    'domain',
    'vendors',
    'tracking',
  ],
  server: [
    COMPOSITION,
    'web',
    'calls',
    'erasure',
    'tracking',
    'vendors',
    'salesforce',
    'join',
    PORT,
    'store',
    'domain',
  ],
  erasure: ['join', 'tracking', 'vendors', PORT, 'store', 'domain'],
  web: ['tracking', 'vendors', 'join', PORT, 'store', 'domain', 'generated'],
  calls: ['vendors', 'join', PORT, 'store', 'domain'],
  salesforce: ['join', PORT, 'store', 'domain'],
  vendors: ['tracking', 'store', 'domain'],
  tracking: ['store', 'domain'],
  join: ['domain', 'store', PORT],
  store: ['domain'],
  [PORT]: [],
  domain: ['generated'],
  generated: [],
  values: [],
};

/** Edges the table does not allow, as "from → to (example file)". */
function forbidden(edges: Map<string, Map<string, string>>): string[] {
  const out: string[] = [];
  for (const [from, tos] of edges)
    for (const [to, example] of tos) {
      if ((SHARED_FILES.test(to) && to !== COMPOSITION) || SHARED_FOLDERS.has(to)) continue;
      const ok = SHARED_FILES.test(from) ? to === 'domain' : ALLOWED[from]?.includes(to);
      if (!ok) out.push(`${from} → ${to} (${example})`);
    }
  return out.sort();
}

const SETTINGS_MODULE = /^(?:[a-z-]+\/config|secrets|env-setting|channel-sheet-file)$/;

/** The files of middleware/src a file imports (type-only imports included). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .filter((ref) => ref.fileName.startsWith('.'))
    .map((ref) => {
      const target = path.resolve(path.dirname(file), ref.fileName);
      return fs.existsSync(target) && fs.statSync(target).isDirectory()
        ? path.join(target, 'index.ts')
        : `${target}.ts`;
    });
}

/** File → the files it imports, paths relative to src. */
function fileGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = path.relative(SRC, file);
    edges.set(from, new Map(importsOf(file).map((t) => [path.relative(SRC, t), from])));
  }
  return edges;
}

function folderGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    if (from === COMPOSITION) continue;
    for (const target of importsOf(file)) {
      const to = nodeOf(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      // One example file per edge, for the failure message.
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, path.relative(SRC, file));
    }
  }
  return edges;
}

/** Strongly connected components with more than one node (Tarjan). */
function loops(edges: Map<string, Map<string, string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe('folders of middleware/src', () => {
  it('import each other without loops', () => {
    const edges = folderGraph();
    expect(edges.size).toBeGreaterThan(8);
    const found = loops(edges).map((scc) =>
      scc
        .flatMap((a) =>
          scc.filter((b) => edges.get(a)?.has(b)).map((b) => `${a} → ${b} (${edges.get(a)!.get(b)})`),
        )
        .join('; '),
    );
    expect(found).toEqual([]);
  });

  it('import only in the allowed directions (cli → server → web, calls → join → domain, store, port)', () => {
    const edges = folderGraph();
    expect(edges.get('join')?.size).toBeGreaterThan(0);
    expect(forbidden(edges)).toEqual([]);
  });

  it('have no import loop between files, type-only imports included', () => {
    const edges = fileGraph();
    expect(edges.size).toBeGreaterThan(100);
    expect(loops(edges).map((scc) => scc.join(' ↔ '))).toEqual([]);
  });

  it("config.ts imports nothing but the folders' settings modules", () => {
    const info = ts.preProcessFile(fs.readFileSync(path.join(SRC, COMPOSITION), 'utf8'), true, true);
    const imported = info.importedFiles.map((f) => f.fileName.replace(/^\.\//, ''));
    expect(imported.length).toBeGreaterThan(5);
    expect(imported.filter((f) => !SETTINGS_MODULE.test(f))).toEqual([]);
  });

  it('the check finds a loop when there is one', () => {
    const edges = new Map([
      ['vendors', new Map([['salesforce', 'vendors/x.ts']])],
      ['salesforce', new Map([['vendors', 'salesforce/tasks.ts']])],
    ]);
    expect(loops(edges)).toEqual([['salesforce', 'vendors']]);
  });

  it('the check finds an import against the directions', () => {
    const edges = new Map([
      [
        'join',
        new Map([
          ['calls', 'join/x.ts'],
          [PORT, 'join/y.ts'],
        ]),
      ],
      [
        'calls',
        new Map([
          ['salesforce', 'calls/z.ts'],
          ['log.ts', 'calls/z.ts'],
        ]),
      ],
      ['log.ts', new Map([['store', 'log.ts']])],
    ]);
    expect(forbidden(edges)).toEqual([
      'calls → salesforce (calls/z.ts)',
      'join → calls (join/x.ts)',
      'log.ts → store (log.ts)',
    ]);
  });
});
