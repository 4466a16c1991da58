#!/usr/bin/env node
'use strict';
// The CLI is compiled by `npm run build` (run automatically by `npm install` through `prepare`).
const path = require('path');
const entry = path.join(__dirname, '..', 'dist', 'middleware', 'src', 'cli', 'main.js');
try {
  require.resolve(entry);
} catch {
  process.stderr.write(
    'call-touchpoints: not built yet. Run `npm run build` (or `npm install`) in ' +
      path.join(__dirname, '..') +
      '\n',
  );
  process.exit(1);
}
// `serve` says "starting…" at once, and a Ctrl-C while Node still loads the CLI (about a second)
// stops it with a message instead of silently (middleware/src/cli/early-signals.ts).
if (process.argv[2] === 'serve') {
  require(path.join(path.dirname(entry), 'early-signals.js')).catchEarlySignals('serve');
}
require(entry)
  .main(process.argv)
  .catch((err) => {
    process.stderr.write(`call-touchpoints: ${err && err.message ? err.message : err}\n`);
    process.exit(1);
  });
