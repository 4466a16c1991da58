import fs from 'node:fs';
import path from 'node:path';
import { SERVE_NODE_FLAGS } from './serve-process';

/** The benches measure serve as `npm start` runs it (docs/operations.md "Memory"). */
test('npm start passes the Node flags the benches and process tests start serve with', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.start).toBe(`node ${SERVE_NODE_FLAGS.join(' ')} bin/call-touchpoints.js serve`);
});
