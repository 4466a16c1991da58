import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

// Metadata API deploy() as jsforce (and so the Salesforce CLI) sends it: force-app converted by the real
// `sf project convert source` into `mdapi`, zipped, edited per test to break one thing.

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

/** The converted package in mdapi as a zip, with `edit` applied to the named files. */
export async function zip(
  mdapi: string,
  edit: Record<string, (text: string) => string> = {},
): Promise<Buffer> {
  const z = new JSZip();
  for (const rel of listFiles(mdapi)) {
    const text = fs.readFileSync(path.join(mdapi, rel), 'utf8');
    z.file(rel.split(path.sep).join('/'), edit[rel] ? edit[rel](text) : text);
  }
  return z.generateAsync({ type: 'nodebuffer' });
}

export async function deploy(conn: any, body: Buffer, options: Record<string, unknown> = {}) {
  return conn.metadata
    .deploy(body, { rollbackOnError: true, singlePackage: true, ...options })
    .complete(true);
}

export const failuresOf = (r: any) =>
  ([] as any[]).concat(r.details?.componentFailures ?? []).map((f) => ({
    type: f.componentType,
    name: f.fullName,
    file: f.fileName,
    problem: f.problem,
  }));
