import fs from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

/**
 * The project's root folder (where package.json and force-app/ live). Works from the TypeScript
 * sources (tests) and from the compiled dist/ tree alike, which sit at different depths.
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'call-touchpoints') {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`call-touchpoints: cannot find the project root above ${__dirname}`);
    dir = parent;
  }
}

/** A file shipped with the project (default channel sheet, snippet, force-app), by path from the root. */
export function projectFile(...segments: string[]): string {
  return path.join(projectRoot(), ...segments);
}
