import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Issue 17: no import loops between folders of middleware/src. Each folder (domain, salesforce,
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

/** `salesforce/cdc/x.ts` → `salesforce`; `log.ts` → `log.ts`. */
function nodeOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0];
}

/**
 * The top-level `config.ts` only composes what each folder declares in its own settings module
 * (`<folder>/config.ts`, issue 16), so its imports are not edges: a folder that takes a `Config` and
 * declares settings of its own is not in a loop with the composition. The test below holds it to that.
 */
const COMPOSITION = 'config.ts';
const SETTINGS_MODULE = /^(?:[a-z-]+\/config|secrets|env-setting|channel-sheet-file)$/;

function folderGraph(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = nodeOf(file);
    if (from === COMPOSITION) continue;
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), ref.fileName);
      const to = nodeOf(
        fs.existsSync(target) && fs.statSync(target).isDirectory()
          ? path.join(target, 'index.ts')
          : `${target}.ts`,
      );
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
});
