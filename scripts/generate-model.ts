/**
 * Derives everything that lists the data model's fields from force-app/ (scripts/model/fields.ts):
 *  - middleware/src/generated/data-model.ts: per object the fields' names, types and lengths, and the
 *    record types (TouchpointFields, WebSessionFields, ActivityFields) domain/types.ts builds on;
 *  - both permission sets' `<fieldPermissions>` (the rule: scripts/model/field-access.ts);
 *  - the report types' columns for their base object's own fields (scripts/model/report-type.ts).
 * So adding a field is its XML, `npm run generate:model`, and the rule that fills it.
 *
 * CLI: `npm run generate:model` writes the files; `npm run check:model` (CI) writes nothing and exits 1
 * naming each stale file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../middleware/src/project-root';
import { readDataModel } from './model/fields';
import { PERMISSION_SETS, type PermissionSetRole } from './model/field-access';
import { permissionSetFile, withFieldPermissions } from './model/permission-sets';
import { MODEL_MODULE, renderModel } from './model/render-model';
import { REPORT_TYPE_FILES, withBaseColumns } from './model/report-type';

export const GENERATE_COMMAND = 'npm run generate:model';

/** Every derived file (project-relative path → its content as the generator writes it). */
export function generatedFiles(projectDir: string): Map<string, string> {
  const objects = readDataModel(projectDir);
  const read = (rel: string) => fs.readFileSync(path.join(projectDir, rel), 'utf8');
  const files = new Map<string, string>([[MODEL_MODULE, renderModel(objects)]]);
  for (const [role, name] of Object.entries(PERMISSION_SETS) as [PermissionSetRole, string][]) {
    const rel = permissionSetFile(name);
    files.set(rel, withFieldPermissions(read(rel), role, objects, rel));
  }
  for (const rel of REPORT_TYPE_FILES) files.set(rel, withBaseColumns(read(rel), objects, rel));
  return files;
}

/** Derived files whose content on disk differs from what force-app/ gives. */
export function staleFiles(projectDir: string): string[] {
  const stale: string[] = [];
  for (const [rel, content] of generatedFiles(projectDir)) {
    const file = path.join(projectDir, rel);
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) stale.push(rel);
  }
  return stale;
}

/** Writes the derived files that changed; returns their paths. */
export function writeGeneratedFiles(projectDir: string): string[] {
  const written: string[] = [];
  for (const [rel, content] of generatedFiles(projectDir)) {
    const file = path.join(projectDir, rel);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    written.push(rel);
  }
  return written;
}

/** What `check:model` prints on stderr for stale files: each file, then the command that fixes them. */
export function staleMessage(stale: string[]): string {
  return (
    stale.map((rel) => `stale: ${rel}\n`).join('') +
    `data model: ${stale.length} file(s) differ from what force-app/ gives; ` +
    `run \`${GENERATE_COMMAND}\` and commit the result\n`
  );
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const projectDir = projectRoot();
  if (check) {
    const stale = staleFiles(projectDir);
    if (stale.length === 0) {
      process.stdout.write('data model: generated files match force-app/\n');
      return 0;
    }
    process.stderr.write(staleMessage(stale));
    return 1;
  }
  const written = writeGeneratedFiles(projectDir);
  for (const rel of written) process.stdout.write(`wrote ${rel}\n`);
  if (written.length === 0) process.stdout.write('data model: generated files already up to date\n');
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`data model: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
