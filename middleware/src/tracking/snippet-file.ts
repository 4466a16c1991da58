import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { projectFile } from '../project-root';

/**
 * The browser snippet is a plain JavaScript file (snippet.js next to this module) so it can be
 * read, linted and opened in a browser as is. tsc does not copy .js files into dist/, so it is
 * found from the project root (projectFile): this works from middleware/src (tests) and from
 * dist/middleware/src (the built CLI). Read once, with its gzip form and ETag precomputed.
 * (The loader is not called snippet.ts: jest would resolve './snippet' to the browser file.)
 */
export interface Snippet {
  source: Buffer;
  gzipped: Buffer;
  etag: string;
}

let cached: Snippet | null = null;

export function snippetPath(): string {
  return projectFile('middleware', 'src', 'tracking', 'snippet.js');
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
