#!/usr/bin/env node
'use strict';
// `npm run bench`: compiles the TypeScript when dist/ is older than the sources (or missing),
// then runs the benchmark orchestrator (scripts/bench/index.ts). `--no-build` skips the check.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'scripts', 'bench', 'index.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== '__tests__') newest = Math.max(newest, newestSource(p));
    } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  }
  return newest;
}

const noBuild = process.argv.includes('--no-build');
if (!noBuild) {
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(
    newestSource(path.join(root, 'middleware', 'src')),
    newestSource(path.join(root, 'scripts')),
  );
  if (sources > built) {
    process.stdout.write('bench: dist/ is older than the sources; building (npm run build)…\n');
    const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
    const res = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
      stdio: 'inherit',
    });
    if (res.status !== 0) {
      process.stderr.write(
        'bench: the build failed (errors above). Fix them and run `npm run build`, or pass --no-build to run the existing dist/.\n',
      );
      process.exit(1);
    }
  }
}
if (!fs.existsSync(entry)) {
  process.stderr.write('bench: dist/scripts/bench/index.js is missing. Run `npm run build` first.\n');
  process.exit(1);
}
require(entry)
  .main(process.argv.filter((a) => a !== '--no-build'))
  .catch((err) => {
    process.stderr.write(`bench: ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  });
