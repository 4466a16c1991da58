import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The browser snippet is a plain JavaScript file (snippet.js next to this module) so it can be
 * read, linted and opened in a browser as is. tsc does not copy .js files into dist/, so it is
 * found from the project root (the nearest package.json above this module that holds it): this
 * works from middleware/src (tests) and from dist/middleware/src (the built CLI), the same way
 * the default channel sheet is found. Read once, with its gzip form and ETag precomputed.
 */
const RELATIVE_PATH = join('middleware', 'src', 'tracking', 'snippet.js');

export interface Snippet {
  source: Buffer;
  gzipped: Buffer;
  etag: string;
}

let cached: Snippet | null = null;

export function snippetPath(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, RELATIVE_PATH))) return join(dir, RELATIVE_PATH);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`tracking snippet ${RELATIVE_PATH} not found above ${__dirname}`);
    dir = parent;
  }
}

export function loadSnippet(): Snippet {
  if (!cached) {
    const source = readFileSync(snippetPath());
    cached = {
      source,
      gzipped: gzipSync(source, { level: 9 }),
      etag: `"${createHash('sha256').update(source).digest('base64url').slice(0, 27)}"`,
    };
  }
  return cached;
}
